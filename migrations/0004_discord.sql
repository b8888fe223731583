-- Discord: which sandbox a guild's `/simulation` commands act on, and which Crysknife user a
-- Discord user acts as (their role decides what they may change).

-- A guild serves at most one live sandbox: registering it again while its sandbox is live is a
-- conflict, and once that sandbox is expired or destroyed the row may be taken over.
CREATE TABLE discord_guild (
    guild_id      text        PRIMARY KEY CHECK (guild_id ~ '^[0-9]{1,20}$'),
    sandbox_id    uuid        NOT NULL REFERENCES sandbox (id) ON DELETE CASCADE,
    registered_by uuid        REFERENCES app_user (id) ON DELETE SET NULL,
    registered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX discord_guild_sandbox_idx ON discord_guild (sandbox_id);

-- A Discord user acts as exactly one Crysknife user.
CREATE TABLE discord_user (
    discord_user_id text        PRIMARY KEY CHECK (discord_user_id ~ '^[0-9]{1,20}$'),
    user_id         uuid        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    linked_by       uuid        REFERENCES app_user (id) ON DELETE SET NULL,
    linked_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX discord_user_user_idx ON discord_user (user_id);
