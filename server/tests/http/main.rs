//! Black-box HTTP tests: each starts the real server on 127.0.0.1:0 against its own fresh
//! database in the test PostgreSQL (`DATABASE_URL`) and calls it the way an agent would.

mod auth;
mod bad_text;
mod concurrency;
mod discord;
mod doors;
mod durability;
mod health;
mod helpers;
mod isolation;
mod kruxt;
mod lifecycle_sweeper;
mod openapi;
mod postgres_outage;
mod rate_limit;
mod redis_outage;
mod routes_listed;
mod sandbox_lifecycle;
mod scenario;
mod simulation_api;
mod system_info;
