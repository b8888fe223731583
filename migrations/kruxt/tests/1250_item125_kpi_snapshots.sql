-- Item 125: gym_kpi_daily_snapshots are readable to users with analytics.view and writable by service only (01 §7).
-- Seed: the last 7 days for both gyms. analytics.view defaults: leader, officer, coach yes; member no.

BEGIN;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_kpi_daily_snapshots$q$), 7::bigint, 'coach luca (analytics.view) reads the 7 BZone snapshots');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_kpi_daily_snapshots WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$), 7::bigint,
                  'officer reads BZone snapshots');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_kpi_daily_snapshots WHERE gym_id = '10000000-0000-4000-8000-000000000002'$q$), 0::bigint,
                  'officer reads no Wellness Zone snapshots');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_kpi_daily_snapshots$q$), 7::bigint, 'Wellness Zone coach reads only its 7 snapshots');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000011","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_kpi_daily_snapshots WHERE gym_id = '10000000-0000-4000-8000-000000000002'$q$), 7::bigint,
                  'Wellness Zone owner reads its snapshots');

SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_kpi_daily_snapshots$q$), 0::bigint, 'a member reads no snapshots');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_kpi_daily_snapshots$q$), 0::bigint, 'a member of the other gym reads no snapshots');

-- writes: service only, staff and owners included in the refusal
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.gym_kpi_daily_snapshots (gym_id, metric_date, active_members)
    VALUES ('10000000-0000-4000-8000-000000000001', '2030-01-01', 999)$q$,
                     '42501', 'new row violates row-level security policy for table "gym_kpi_daily_snapshots"', 'the owner cannot insert a snapshot');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.gym_kpi_daily_snapshots (gym_id, metric_date, active_members)
    VALUES ('10000000-0000-4000-8000-000000000001', '2030-01-01', 999)$q$,
                     '42501', 'new row violates row-level security policy for table "gym_kpi_daily_snapshots"', 'staff cannot insert a snapshot');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_kpi_daily_snapshots SET active_members = 999$q$), 0::bigint, 'staff update affects 0 rows');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gym_kpi_daily_snapshots$q$), 0::bigint, 'staff delete affects 0 rows');

-- an override removing analytics.view hides them at once (item 127)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed)
VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', 'analytics.view', false);
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_kpi_daily_snapshots$q$), 0::bigint, 'luca reads nothing once the override denies analytics.view');

-- the daily job: service upserts on (gym_id, metric_date)
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_kpi_daily_snapshots (gym_id, metric_date, active_members, checkins_count)
    SELECT gym_id, metric_date, 11, 30 FROM public.gym_kpi_daily_snapshots
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' ORDER BY metric_date DESC LIMIT 1
    ON CONFLICT (gym_id, metric_date) DO UPDATE SET active_members = excluded.active_members, checkins_count = excluded.checkins_count$q$), 1::bigint,
                  'service upserts an existing day');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_kpi_daily_snapshots), 14::bigint, 'the upsert did not add a row');
SELECT pg_temp.fails($q$INSERT INTO public.gym_kpi_daily_snapshots (gym_id, metric_date, average_class_fill_rate)
    VALUES ('10000000-0000-4000-8000-000000000001', '2030-01-02', 101)$q$, '23514', NULL, 'fill rate is at most 100');
SELECT pg_temp.fails($q$INSERT INTO public.gym_kpi_daily_snapshots (gym_id, metric_date, revenue_cents)
    VALUES ('10000000-0000-4000-8000-000000000001', '2030-01-02', -1)$q$, '23514', NULL, 'counters are never negative');

ROLLBACK;
