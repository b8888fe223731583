-- Item 56: the SLA badge is deterministic at its boundaries (06 §5.2): breached / at_risk / on_track /
-- no_due_date, with the flow's clock passed in; hoursToDue; isOverdue recomputed with the flow's clock; labels.

BEGIN;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
CREATE FUNCTION pg_temp.b(p_due text, p_breached text DEFAULT NULL, p_hours int DEFAULT 24) RETURNS text LANGUAGE sql AS $$
    SELECT public.compliance_sla_badge(p_due::timestamptz, p_breached::timestamptz, '2026-03-09T08:00:00Z', p_hours) $$;

-- ---- the boundaries of 06 §5.2 (now = 2026-03-09T08:00:00Z, default 24 h)
SELECT pg_temp.eq(pg_temp.b('2026-03-09T08:00:00Z'), 'breached', 'due exactly now -> breached');
SELECT pg_temp.eq(pg_temp.b('2026-03-09T07:59:59.999Z'), 'breached', '1 ms ago -> breached');
SELECT pg_temp.eq(pg_temp.b('2026-03-09T08:00:00.001Z'), 'at_risk', 'due in 1 ms -> at_risk');
SELECT pg_temp.eq(pg_temp.b('2026-03-10T08:00:00Z'), 'at_risk', 'due in exactly 24 h -> at_risk');
SELECT pg_temp.eq(pg_temp.b('2026-03-10T08:00:00.001Z'), 'on_track', 'due in 24 h + 1 ms -> on_track');
SELECT pg_temp.eq(pg_temp.b('2026-03-10T08:00:00.000001Z'), 'on_track', 'due in 24 h + 1 µs -> on_track');
SELECT pg_temp.eq(pg_temp.b(NULL), 'no_due_date', 'no due date -> no_due_date');
SELECT pg_temp.eq(pg_temp.b(NULL, '2026-03-01T00:00:00Z'), 'breached', 'sla_breached_at wins over a missing due date (rule 1 first)');
SELECT pg_temp.eq(pg_temp.b('2026-04-30T00:00:00Z', '2026-03-01T00:00:00Z'), 'breached', 'sla_breached_at wins over a far due date');
-- at-risk window 24 [1..168]
SELECT pg_temp.eq(pg_temp.b('2026-03-09T09:00:00Z', NULL, 1) || ',' || pg_temp.b('2026-03-09T09:00:00.001Z', NULL, 1), 'at_risk,on_track', '1 h window');
SELECT pg_temp.eq(pg_temp.b('2026-03-09T09:00:00Z', NULL, 0) || ',' || pg_temp.b('2026-03-09T09:00:00.001Z', NULL, -3), 'at_risk,on_track', '0 / negative -> 1 h');
SELECT pg_temp.eq(pg_temp.b('2026-03-16T08:00:00Z', NULL, 500) || ',' || pg_temp.b('2026-03-16T08:00:00.001Z', NULL, 500), 'at_risk,on_track', '500 -> 168 h');
SELECT pg_temp.eq(pg_temp.b('2026-03-10T08:00:00.001Z', NULL, NULL), 'on_track', 'null -> 24 h');
-- hoursToDue
SELECT pg_temp.eq(public.compliance_hours_to_due('2026-03-10T08:00:00Z', NULL, '2026-03-09T08:00:00Z'), 24::numeric, '24 h');
SELECT pg_temp.eq(public.compliance_hours_to_due('2026-03-09T08:00:00Z', NULL, '2026-03-09T08:00:00Z'), 0::numeric, '0 at the deadline');
SELECT pg_temp.eq(public.compliance_hours_to_due('2026-03-09T06:30:00Z', NULL, '2026-03-09T08:00:00Z'), -1.5::numeric, 'negative when past');
SELECT pg_temp.ok(public.compliance_hours_to_due('2026-03-10T08:00:00.001Z', NULL, '2026-03-09T08:00:00Z') > 24, '24 h + 1 ms is more than 24 (no rounding)');
SELECT pg_temp.eq(public.compliance_hours_to_due('2026-03-10T08:00:00Z', '2026-03-01T00:00:00Z', '2026-03-09T08:00:00Z'), NULL::numeric, 'null when breached_at is set');
SELECT pg_temp.eq(public.compliance_hours_to_due(NULL, NULL, '2026-03-09T08:00:00Z'), NULL::numeric, 'null without a due date');
SELECT pg_temp.ok((SELECT provolatile = 'i' FROM pg_proc WHERE oid = 'public.compliance_sla_badge(timestamptz, timestamptz, timestamptz, integer)'::regprocedure),
                  'the badge is IMMUTABLE: a function of its inputs only');

-- ---- in the queue: davide's request is due at T + 24 h. Move the flow clock, not the database clock.
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT set_config('test.t', (SELECT a.anchor::text FROM kruxt_internal.seed_anchor a), true);
SELECT set_config('kruxt.now', current_setting('test.t'), true);
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
CREATE FUNCTION pg_temp.davide(p_offset interval) RETURNS text LANGUAGE sql AS $$
    SELECT sla_badge || '|' || is_overdue || '|' || coalesce(round(hours_to_due, 3)::text, '-')
    FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001', '{}', current_setting('test.t')::timestamptz + p_offset)
    WHERE user_id = '20000000-0000-4000-8000-000000000005' $$;
SELECT pg_temp.eq(pg_temp.davide(interval '-1 millisecond'), 'on_track|false|24.000', 'flow clock T - 1 ms: on_track (24 h + 1 ms away)');
SELECT pg_temp.eq(pg_temp.davide(interval '0'), 'at_risk|false|24.000', 'T: exactly 24 h: at_risk');
SELECT pg_temp.eq(pg_temp.davide(interval '23 hours 59 minutes 59.999 seconds'), 'at_risk|false|0.000', '1 ms before the deadline: at_risk, not overdue');
SELECT pg_temp.eq(pg_temp.davide(interval '24 hours'), 'breached|false|0.000', 'at the deadline: breached (hoursToDue <= 0), not yet overdue (due < now)');
SELECT pg_temp.eq(pg_temp.davide(interval '24 hours 1 millisecond'), 'breached|true|0.000', 'after it: breached and overdue');
SELECT pg_temp.eq((SELECT sla_badge || '|' || is_overdue || '|' || coalesce(hours_to_due::text, '-')
                   FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001', '{}', current_setting('test.t')::timestamptz)
                   WHERE user_id = '20000000-0000-4000-8000-000000000008'), 'breached|true|-', 'chiara: sla_breached_at set -> breached, hoursToDue null');
SELECT pg_temp.eq((SELECT sla_badge FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001', '{}', current_setting('test.t')::timestamptz, 1)
                   WHERE user_id = '20000000-0000-4000-8000-000000000005'), 'on_track', 'slaAtRiskHours 1: 24 h away is on_track');
SELECT pg_temp.eq((SELECT sla_badge FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001', '{}', NULL)
                   WHERE user_id = '20000000-0000-4000-8000-000000000005'), 'at_risk', 'no flow clock: app_now()');

-- ---- labels (06 §4.4): flow locale and time zone; a missing time shows legal.timestamp.not_available
SELECT pg_temp.eq((SELECT submitted_at_label || ' / ' || due_at_label || ' / ' || sla_breached_at_label
                   FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001', '{}', current_setting('test.t')::timestamptz, 24, 'it-IT', 'Europe/Rome')
                   WHERE user_id = '20000000-0000-4000-8000-000000000005'),
                  public.format_legal_timestamp(current_setting('test.t')::timestamptz - interval '29 days', 'it-IT', 'Europe/Rome') || ' / '
                  || public.format_legal_timestamp(current_setting('test.t')::timestamptz + interval '1 day', 'it-IT', 'Europe/Rome') || ' / Non disponibile',
                  'it-IT labels; the missing breach time in Italian');
SELECT pg_temp.eq((SELECT sla_breached_at_label FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001', '{}', current_setting('test.t')::timestamptz, 24, 'fr', 'Europe/Paris')
                   WHERE user_id = '20000000-0000-4000-8000-000000000005'), 'Unavailable', 'fr-FR has no translation: the en-US text');

ROLLBACK;
