-- Scenario files saved in a sandbox (Discord's `/simulation scenario <name>` runs them) and every
-- run made through the API, with its report.

CREATE TABLE saved_scenario (
    sandbox_id  uuid        NOT NULL REFERENCES sandbox (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    source      text        NOT NULL,
    created_by  uuid        REFERENCES app_user (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sandbox_id, name)
);

CREATE TABLE scenario_run (
    id          uuid        PRIMARY KEY,
    sandbox_id  uuid        NOT NULL REFERENCES sandbox (id) ON DELETE CASCADE,
    actor_id    uuid        REFERENCES app_user (id),
    at          timestamptz NOT NULL DEFAULT now(),
    file_name   text        NOT NULL,
    passed      boolean     NOT NULL,
    assertions  integer     NOT NULL,
    failures    integer     NOT NULL,
    duration_ms integer     NOT NULL,
    report      jsonb       NOT NULL
);
CREATE INDEX scenario_run_sandbox_idx ON scenario_run (sandbox_id, at DESC);
