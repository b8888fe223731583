-- Running server processes. Each registers at start-up and sends a heartbeat, so every
-- instance can see how many are live.
CREATE TABLE server_instance (
    id           uuid        PRIMARY KEY,
    version      text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);
