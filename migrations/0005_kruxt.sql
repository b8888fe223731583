-- KRUXT sandboxes: the login role that acts as KRUXT users (its password never leaves this
-- database) and the results of KRUXT scenarios by test plan item, for the beta test plan's status.

-- One row: the non-superuser login (a member of kruxt_gateway) that runs every KRUXT transaction
-- of this control plane's sandboxes. The name carries a suffix of its own, so control planes
-- sharing a PostgreSQL cluster never share (or reset) each other's password.
CREATE TABLE kruxt_gateway_login (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    role_name  text        NOT NULL,
    password   text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per scenario of every KRUXT scenario run, with the test plan items it covers.
CREATE TABLE kruxt_scenario_result (
    id         bigserial   PRIMARY KEY,
    run_id     uuid        NOT NULL REFERENCES scenario_run (id) ON DELETE CASCADE,
    sandbox_id uuid        NOT NULL REFERENCES sandbox (id) ON DELETE CASCADE,
    file_name  text        NOT NULL,
    scenario   text        NOT NULL,
    items      integer[]   NOT NULL DEFAULT '{}',
    passed     boolean     NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kruxt_scenario_result_latest_idx ON kruxt_scenario_result (file_name, scenario, at DESC);
