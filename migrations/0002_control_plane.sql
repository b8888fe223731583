-- The control plane: people and agents, sandboxes with their lifecycle, and simulations whose
-- every change is an append-only event.

CREATE TYPE user_role AS ENUM ('qa_admin', 'qa_tester', 'viewer');

CREATE TABLE app_user (
    id            uuid        PRIMARY KEY,
    username      text        NOT NULL,
    display_name  text        NOT NULL,
    role          user_role   NOT NULL,
    -- argon2id PHC string; absent for users who only use API tokens.
    password_hash text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz
);
CREATE UNIQUE INDEX app_user_username_key ON app_user (lower(username));

CREATE TABLE api_token (
    id           uuid        PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    -- SHA-256 of the token; the token itself is shown once and never stored.
    token_hash   bytea       NOT NULL UNIQUE,
    -- The first characters, so people can tell their tokens apart.
    prefix       text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_token_user_idx ON api_token (user_id);

CREATE TYPE sandbox_state AS ENUM ('pending', 'creating', 'running', 'expired', 'destroying', 'destroyed');

CREATE TABLE sandbox (
    id          uuid          PRIMARY KEY,
    name        text          NOT NULL,
    owner_id    uuid          NOT NULL REFERENCES app_user (id),
    theme_id    text          NOT NULL,
    -- An uploaded theme file's parsed document; absent for built-in themes.
    theme_doc   jsonb,
    state       sandbox_state NOT NULL DEFAULT 'pending',
    ttl_hours   integer       NOT NULL CHECK (ttl_hours BETWEEN 1 AND 168),
    created_at  timestamptz   NOT NULL DEFAULT now(),
    expires_at  timestamptz   NOT NULL,
    updated_at  timestamptz   NOT NULL DEFAULT now(),
    -- The PostgreSQL database a KRUXT sandbox owns.
    database_name text
);
-- Names are unique among live sandboxes only.
CREATE UNIQUE INDEX sandbox_live_name_key ON sandbox (lower(name))
    WHERE state IN ('pending', 'creating', 'running');
CREATE INDEX sandbox_owner_idx ON sandbox (owner_id) WHERE state IN ('pending', 'creating', 'running');
CREATE INDEX sandbox_expiry_idx ON sandbox (expires_at) WHERE state IN ('running', 'expired', 'destroying');

CREATE TABLE sandbox_member (
    sandbox_id uuid        NOT NULL REFERENCES sandbox (id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sandbox_id, user_id)
);
CREATE INDEX sandbox_member_user_idx ON sandbox_member (user_id);

-- Every lifecycle change and membership change of a sandbox.
CREATE TABLE sandbox_audit (
    id         bigserial   PRIMARY KEY,
    sandbox_id uuid        NOT NULL REFERENCES sandbox (id) ON DELETE CASCADE,
    -- Absent when the system acted (the sweeper).
    actor_id   uuid        REFERENCES app_user (id),
    at         timestamptz NOT NULL DEFAULT now(),
    action     text        NOT NULL,
    detail     jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX sandbox_audit_sandbox_idx ON sandbox_audit (sandbox_id, id DESC);

CREATE TABLE simulation (
    id         uuid        PRIMARY KEY,
    sandbox_id uuid        NOT NULL REFERENCES sandbox (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    is_default boolean     NOT NULL DEFAULT false,
    -- The number of events applied; a write may name the version it saw (If-Match).
    version    bigint      NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (sandbox_id, name)
);
CREATE UNIQUE INDEX simulation_default_key ON simulation (sandbox_id) WHERE is_default;

-- Append-only: every change to a simulation, with the whole context before and after it, so a
-- lost hot copy is rebuilt from the newest event.
CREATE TABLE simulation_event (
    id            bigserial   PRIMARY KEY,
    simulation_id uuid        NOT NULL REFERENCES simulation (id) ON DELETE CASCADE,
    sandbox_id    uuid        NOT NULL REFERENCES sandbox (id) ON DELETE CASCADE,
    version       bigint      NOT NULL,
    actor_id      uuid        REFERENCES app_user (id),
    at            timestamptz NOT NULL DEFAULT now(),
    operation     text        NOT NULL,
    before        jsonb,
    after         jsonb       NOT NULL,
    UNIQUE (simulation_id, version)
);
CREATE INDEX simulation_event_sandbox_idx ON simulation_event (sandbox_id, id DESC);
