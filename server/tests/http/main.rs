//! Black-box HTTP tests: each starts the real server on 127.0.0.1:0 against its own fresh
//! database in the test PostgreSQL (`DATABASE_URL`) and calls it the way an agent would.

mod health;
mod helpers;
mod postgres_outage;
mod redis_outage;
mod system_info;
