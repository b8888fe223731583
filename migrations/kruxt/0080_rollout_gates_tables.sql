-- KRUXT 0080: area 08 tables (08-rollout-gates.md §2-§6; items 65-70): rollout_cohorts, rollout_checklist_items,
-- kpi_gate_definitions, kpi_weekly_reviews, rollback_playbook_steps, rollback_executions, expansion_criteria,
-- expansion_reviews, ops_scheduler_runs, ops_alert_issues; their enums, the access helpers and the three
-- catalogues the gate functions are defined by (KPI definitions §3, playbook steps §4, expansion criteria §5; like
-- the feature flags of 0010 they ship with the migration). feature_flags (§1) exists since 0010. Cohorts, checklist
-- items, reviews and scheduler runs are demo data (seed/0080_rollout_ops.sql). Functions follow in 0081.
--
-- Access (08 intro): SELECT for the service or operators with platform.overview.read; writes only through the
-- 0081 functions (service or platform.flags.manage, else 'Access denied'). The write policies below therefore
-- admit the service only (they exist so that service claims behave the same when executed as authenticated).
-- platform_operator_has_permission is the area 02 placeholder (false) until area 12 replaces its body.
SET ROLE kruxt_owner;

CREATE TYPE public.rollout_cohort_status AS ENUM ('planned', 'ready', 'invites_open', 'paused', 'expanded', 'rolled_back');
CREATE TYPE public.kpi_gate_status AS ENUM ('Pending', 'Pass', 'Conditional', 'Fail');

CREATE FUNCTION public.rollout_has_read_access() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT public.is_service_role() OR public.platform_operator_has_permission('platform.overview.read')
$$;

CREATE FUNCTION public.rollout_has_manage_access() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT public.is_service_role() OR public.platform_operator_has_permission('platform.flags.manage')
$$;

-- ---------------------------------------------------------------------------------------------
-- §2 Pavia readiness
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.rollout_cohorts (
    cohort_key          text                         PRIMARY KEY CHECK (cohort_key ~ '^[a-z0-9_]+$'),
    name                text                         NOT NULL,
    region              text,
    gym_ids             uuid[]                       NOT NULL DEFAULT '{}',
    status              public.rollout_cohort_status NOT NULL DEFAULT 'planned',
    invites_enabled     boolean                      NOT NULL DEFAULT false,
    invites_opened_at   timestamptz,
    readiness_freeze_at timestamptz,
    launch_window_start timestamptz,
    launch_window_end   timestamptz,
    release_locales     text[]                       NOT NULL DEFAULT '{en-US}',
    metadata            jsonb                        NOT NULL DEFAULT '{}'::jsonb,
    created_at          timestamptz                  NOT NULL DEFAULT public.app_now(),
    updated_at          timestamptz                  NOT NULL DEFAULT public.app_now(),
    CONSTRAINT rollout_cohorts_launch_window CHECK (
        launch_window_start IS NULL OR launch_window_end IS NULL OR launch_window_end >= launch_window_start)
);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.rollout_cohorts
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE TABLE public.rollout_checklist_items (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    cohort_key    text        NOT NULL REFERENCES public.rollout_cohorts (cohort_key) ON DELETE CASCADE,
    group_key     text        NOT NULL CHECK (group_key IN ('product_ops', 'reliability_security', 'support_launch')),
    item_key      text        NOT NULL,
    label         text        NOT NULL,
    required      boolean     NOT NULL DEFAULT true,
    owner_label   text,
    auto_check    text,
    completed_at  timestamptz,
    completed_by  uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    evidence_note text,
    evidence_url  text,
    sort_order    integer     NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at    timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (cohort_key, item_key)
);
CREATE INDEX rollout_checklist_items_cohort_order_idx ON public.rollout_checklist_items (cohort_key, sort_order, item_key);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.rollout_checklist_items
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- §3 Weekly KPI board
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.kpi_gate_definitions (
    kpi_key     text    PRIMARY KEY,
    label       text    NOT NULL,
    definition  text    NOT NULL,
    comparator  text    NOT NULL CHECK (comparator IN ('gte', 'eq')),
    threshold   numeric NOT NULL,
    unit        text    NOT NULL,
    is_critical boolean NOT NULL DEFAULT false,
    sort_order  integer NOT NULL
);

INSERT INTO public.kpi_gate_definitions (kpi_key, label, definition, comparator, threshold, unit, is_critical, sort_order) VALUES
    ('repeat_rate', 'Repeat rate',
     'Cohort users with at least 2 workouts in the week / cohort users with at least 1 workout', 'gte', 45, 'percent', false, 1),
    ('feed_interactions_per_active', 'Feed interactions per active user',
     'Reactions and comments by cohort users in the week / active cohort users', 'gte', 3.0, 'ratio', false, 2),
    ('booking_completion', 'Booking completion',
     'Pilot-gym bookings created in the week that are booked or attended / (bookings created + waitlist entries created that ended expired or cancelled)',
     'gte', 70, 'percent', false, 3),
    ('w4_retention', 'Week-4 retention',
     'Users active this week among those active in the cohort launch week / users active in the launch week', 'gte', 25, 'percent', true, 4),
    ('chain_survival', 'Chain survival',
     'Active cohort users with a chain of at least 7 days / active cohort users', 'gte', 40, 'percent', false, 5),
    ('staff_wau', 'Staff weekly active',
     'Pilot staff with at least one attributable write in the week / pilot staff', 'gte', 60, 'percent', false, 6),
    ('sync_success', 'Sync success',
     'Succeeded / (succeeded + failed) sync jobs of cohort users finished in the week; 100 when none', 'gte', 95, 'percent', true, 7),
    ('sev1_incidents', 'Sev-1 incidents',
     'Non-drill critical security incidents detected in the week for pilot gyms or platform-wide', 'eq', 0, 'count', true, 8);

CREATE TABLE public.kpi_weekly_reviews (
    id                     uuid                   PRIMARY KEY DEFAULT gen_random_uuid(),
    cohort_key             text                   NOT NULL REFERENCES public.rollout_cohorts (cohort_key) ON DELETE CASCADE,
    week_of                date                   NOT NULL CHECK (extract(isodow FROM week_of) = 5),
    metrics                jsonb                  NOT NULL DEFAULT '{}'::jsonb,
    computed_gate_status   public.kpi_gate_status NOT NULL DEFAULT 'Pending',
    gate_status            public.kpi_gate_status NOT NULL DEFAULT 'Pending',
    missed_kpis            text[]                 NOT NULL DEFAULT '{}',
    mitigation_note        text,
    mitigation_accepted_by uuid                   REFERENCES public.profiles (id) ON DELETE SET NULL,
    reviewed_by            uuid                   REFERENCES public.profiles (id) ON DELETE SET NULL,
    reviewed_at            timestamptz,
    notes                  text,
    created_at             timestamptz            NOT NULL DEFAULT public.app_now(),
    updated_at             timestamptz            NOT NULL DEFAULT public.app_now(),
    UNIQUE (cohort_key, week_of)
);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.kpi_weekly_reviews
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- §4 Rollback playbook
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.rollback_playbook_steps (
    step_order  integer PRIMARY KEY CHECK (step_order > 0),
    action_key  text    NOT NULL UNIQUE,
    description text    NOT NULL,
    flag_keys   text[]  NOT NULL DEFAULT '{}',
    sla_minutes integer CHECK (sla_minutes IS NULL OR sla_minutes > 0)
);

-- Step 4's flag_keys name the gym feature settings (10 §1 feature_key) of the high-risk modules it switches off.
INSERT INTO public.rollback_playbook_steps (step_order, action_key, description, flag_keys, sla_minutes) VALUES
    (1, 'freeze_invites', 'Freeze invites: every cohort gets invites_enabled = false; open cohorts are paused.', '{}', NULL),
    (2, 'disable_risky_flags', 'Disable the risky feature flags (enabled = false, rollout 0).',
     '{public_feed_boost_enabled,provider_fitbit_enabled,provider_oura_enabled,ml_recommendations_enabled}', NULL),
    (3, 'keep_privacy_online', 'Assert that privacy requests and consent capture stay enabled.',
     '{privacy_requests_enabled,consent_capture_enabled}', NULL),
    (4, 'safe_fallback_ui', 'Switch the pilot gyms'' high-risk modules off (gym feature settings).',
     '{public_feed_boost,ml_recommendations}', NULL),
    (5, 'publish_incident_note', 'Publish the incident note (communication SLA: 30 minutes from the start).', '{}', 30),
    (6, 'root_cause_capture', 'Capture the root cause with named owners.', '{}', NULL),
    (7, 'reopen_gate_review', 'Reopen the gate review after two stable days.', '{}', NULL);

CREATE TABLE public.rollback_executions (
    id                         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    cohort_key                 text        NOT NULL REFERENCES public.rollout_cohorts (cohort_key) ON DELETE CASCADE,
    trigger_reason             text        NOT NULL CHECK (btrim(trigger_reason) <> ''),
    -- FK -> security_incidents (06) is added by area 06 together with that table
    security_incident_id       uuid,
    started_at                 timestamptz NOT NULL DEFAULT public.app_now(),
    started_by                 uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    steps                      jsonb       NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(steps) = 'array'),
    incident_note_published_at timestamptz,
    incident_note_url          text,
    communication_sla_met      boolean,
    completed_at               timestamptz,
    is_drill                   boolean     NOT NULL DEFAULT false,
    created_at                 timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at                 timestamptz NOT NULL DEFAULT public.app_now()
);
-- one execution in progress per cohort (the console's activeExecution)
CREATE UNIQUE INDEX rollback_executions_one_active_per_cohort ON public.rollback_executions (cohort_key)
    WHERE completed_at IS NULL;
CREATE INDEX rollback_executions_started_idx ON public.rollback_executions (started_at DESC, id DESC);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.rollback_executions
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- §5 US + EU expansion
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.expansion_criteria (
    criterion_key text    PRIMARY KEY,
    label         text    NOT NULL,
    sort_order    integer NOT NULL
);

INSERT INTO public.expansion_criteria (criterion_key, label, sort_order) VALUES
    ('pavia_gate_pass', 'Latest Pavia KPI review is Pass or Conditional', 1),
    ('sync_success_95', 'Sync success of the week is at least 95 %', 2),
    ('no_stale_sla_breach', 'No open privacy request of cohort users breached its SLA more than 7 days ago', 3),
    ('support_sla_met', 'No open pilot-gym ticket is past its first-response due time without a staff message', 4),
    ('no_open_sev1', 'No open non-drill critical incident', 5),
    ('legal_copy_coverage', 'Every legal copy key is translated into each non-en-US release locale of the target cohort', 6);

CREATE TABLE public.expansion_reviews (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    week_of     date        NOT NULL UNIQUE CHECK (extract(isodow FROM week_of) = 5),
    results     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    all_passed  boolean     NOT NULL DEFAULT false,
    reviewed_by uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    reviewed_at timestamptz,
    notes       text,
    created_at  timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at  timestamptz NOT NULL DEFAULT public.app_now()
);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.expansion_reviews
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- §6 Scheduler runs and alerts
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.ops_scheduler_runs (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    job_name      text        NOT NULL CHECK (job_name IN ('rank_recompute_weekly', 'privacy_request_processor',
                                                           'sync_dispatcher', 'incident_notifier')),
    run_key       text        NOT NULL CHECK (btrim(run_key) <> ''),
    trigger       text        NOT NULL DEFAULT 'manual' CHECK (trigger IN ('schedule', 'manual')),
    started_at    timestamptz NOT NULL DEFAULT public.app_now(),
    finished_at   timestamptz,
    status        text        NOT NULL CHECK (status IN ('succeeded', 'failed')),
    exit_code     integer,
    http_status   integer,
    report        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    artifact_name text,
    run_url       text,
    created_at    timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (job_name, run_key)
);
CREATE INDEX ops_scheduler_runs_job_finished_idx ON public.ops_scheduler_runs (job_name, status, finished_at DESC);
CREATE INDEX ops_scheduler_runs_started_idx ON public.ops_scheduler_runs (started_at DESC, id DESC);

CREATE TABLE public.ops_alert_issues (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    title              text        NOT NULL,
    labels             text[]      NOT NULL DEFAULT '{}',
    body               text        NOT NULL,
    run_url            text,
    source_run_id      uuid        REFERENCES public.ops_scheduler_runs (id) ON DELETE SET NULL,
    status             text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed')),
    external_issue_url text,
    created_at         timestamptz NOT NULL DEFAULT public.app_now()
);
CREATE UNIQUE INDEX ops_alert_issues_one_per_run ON public.ops_alert_issues (source_run_id) WHERE source_run_id IS NOT NULL;
CREATE INDEX ops_alert_issues_status_created_idx ON public.ops_alert_issues (status, created_at DESC, id DESC);

-- ---------------------------------------------------------------------------------------------
-- Row-level security: read = service or platform.overview.read; write = service (the 0081 functions run as owner).
-- ---------------------------------------------------------------------------------------------
DO $rls$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['rollout_cohorts', 'rollout_checklist_items', 'kpi_gate_definitions', 'kpi_weekly_reviews',
                             'rollback_playbook_steps', 'rollback_executions', 'expansion_criteria', 'expansion_reviews',
                             'ops_scheduler_runs', 'ops_alert_issues'] LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON public.%I FOR SELECT TO authenticated USING (public.is_service_role() OR public.rollout_has_read_access())',
                       t || '_select', t);
        EXECUTE format('CREATE POLICY %I ON public.%I FOR INSERT TO authenticated WITH CHECK (public.is_service_role())',
                       t || '_insert_service', t);
        EXECUTE format('CREATE POLICY %I ON public.%I FOR UPDATE TO authenticated USING (public.is_service_role()) WITH CHECK (public.is_service_role())',
                       t || '_update_service', t);
        EXECUTE format('CREATE POLICY %I ON public.%I FOR DELETE TO authenticated USING (public.is_service_role())',
                       t || '_delete_service', t);
    END LOOP;
END
$rls$;

RESET ROLE;
