-- The area 02 demo seed (99 §8) and the feature flag catalogue (99 §5, 08 §1): exercises, workouts
-- W01-W07 with their exercises, sets, cards, PRs and progression, the social graph; the 14 flags and
-- their access rules (read by every signed-in user, written only by the service).

BEGIN;

-- ---- exercises
SELECT pg_temp.eq((SELECT string_agg(slug || ':' || category || ':' || is_public || ':' || coalesce(created_by::text, 'system'), ',' ORDER BY id) FROM public.exercises),
                  'back-squat:strength:true:system,bench-press:strength:true:system,deadlift:strength:true:system,row-erg:conditioning:true:system,run:conditioning:true:system',
                  'five public system exercises');

-- ---- workouts
SELECT pg_temp.eq((SELECT string_agg(right(w.id::text, 2) || ' ' || p.username || ' ' || w.title || ' ' || w.workout_type || ' ' || w.visibility || ' '
                                     || coalesce(g.slug, '-') || ' ' || w.total_sets || ' ' || w.total_volume_kg || ' ' || w.is_pr || ' ' || w.xp_awarded,
                                     ' | ' ORDER BY w.id)
                   FROM public.workouts w JOIN public.profiles p ON p.id = w.user_id LEFT JOIN public.gyms g ON g.id = w.gym_id),
                  '01 sara_conti Leg Day strength public bzone-pavia 3 1310.00 true 13 | '
                  '02 sara_conti Push strength public bzone-pavia 1 500.00 true 11 | '
                  '03 sara_conti Easy Squats strength public bzone-pavia 1 450.00 false 11 | '
                  '04 davide_romano Gym Circuit functional gym bzone-pavia 2 0.00 false 12 | '
                  '05 giulia_rossi Easy Run conditioning followers bzone-pavia 1 0.00 false 11 | '
                  '06 troll_tom Max Effort Row conditioning public bzone-pavia 1 0.00 false 11 | '
                  '07 jake_miller LA Run conditioning public - 2 0.00 false 12',
                  'W01-W07 (99 §8): owners, titles, types, visibility, gym, totals, PR, XP');
SELECT pg_temp.eq((SELECT to_char(started_at AT TIME ZONE 'America/Los_Angeles', 'HH24:MI') || ' '
                          || ((started_at AT TIME ZONE 'America/Los_Angeles')::date - (a.anchor AT TIME ZONE 'America/Los_Angeles')::date)
                   FROM public.workouts, kruxt_internal.seed_anchor a WHERE id = '40000000-0000-4000-8000-000000000107'),
                  '07:00 -1', 'jake''s LA Run: yesterday 07:00 Los Angeles time');
SELECT pg_temp.eq((SELECT string_agg(((w.started_at AT TIME ZONE 'UTC')::date - (a.anchor AT TIME ZONE 'UTC')::date)::text, ',' ORDER BY w.id)
                   FROM public.workouts w, kruxt_internal.seed_anchor a WHERE w.user_id = '20000000-0000-4000-8000-000000000004'),
                  '-3,-2,-1', 'sara''s workouts on T-3, T-2, T-1 (UTC dates)');
SELECT pg_temp.eq((SELECT count(*) FROM public.workout_sets WHERE distance_m IS NOT NULL AND reps IS NULL AND weight_kg IS NULL
                   AND workout_id = '40000000-0000-4000-8000-000000000107'), 2::bigint, 'W07 has two distance-only sets');
SELECT pg_temp.eq((SELECT count(*) FROM public.workout_sets
                   WHERE id <> format('40000000-0000-4000-8000-000003%s%s%s', right(workout_id::text, 2),
                                      lpad((SELECT order_index FROM public.workout_exercises we WHERE we.id = workout_exercise_id)::text, 2, '0'),
                                      lpad(set_index::text, 2, '0'))::uuid), 0::bigint, 'set ids follow 4...000003WWEESS');

-- ---- cards, PRs, outbox, progression
SELECT pg_temp.eq((SELECT string_agg(right(workout_id::text, 2) || ':' || event_type, ',' ORDER BY created_at, event_type) FROM public.feed_events),
                  '01:pr_verified,01:workout_logged,05:workout_logged,04:workout_logged,02:pr_verified,02:workout_logged,06:workout_logged,07:workout_logged,03:workout_logged',
                  'nine cards in logging order; PR cards for W01 and W02 only');
SELECT pg_temp.ok((SELECT bool_and(f.created_at = w.ended_at) FROM public.feed_events f JOIN public.workouts w ON w.id = f.workout_id),
                  'each card carries the time its workout was logged (its end)');
SELECT pg_temp.eq((SELECT string_agg(p.username || '=' || p.xp_total || '/' || p.level || '/' || p.chain_days, ',' ORDER BY p.username)
                   FROM public.profiles p WHERE p.xp_total > 0),
                  'davide_romano=12/1/1,giulia_rossi=11/1/1,jake_miller=12/1/1,sara_conti=35/1/3,troll_tom=11/1/1',
                  'progression: sara 35 XP, level 1, chain 3; one workout each for the others');
SELECT pg_temp.ok((SELECT bool_and(p.last_workout_at = (SELECT max(w.started_at) FROM public.workouts w WHERE w.user_id = p.id))
                   FROM public.profiles p WHERE p.xp_total > 0), 'last_workout_at = the latest workout start');

-- ---- social graph
SELECT pg_temp.eq((SELECT string_agg(a.username || '->' || b.username || ':' || c.status, ',' ORDER BY c.id)
                   FROM public.social_connections c JOIN public.profiles a ON a.id = c.follower_user_id JOIN public.profiles b ON b.id = c.followed_user_id),
                  'jake_miller->sara_conti:accepted,davide_romano->sara_conti:pending', 'follows');
SELECT pg_temp.eq((SELECT string_agg(a.username || ' blocks ' || b.username, ',') FROM public.user_blocks k
                   JOIN public.profiles a ON a.id = k.blocker_user_id JOIN public.profiles b ON b.id = k.blocked_user_id),
                  'sara_conti blocks troll_tom', 'block');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || r.target_type || ':' || r.target_id || ':' || r.reason || ':' || r.status, ',')
                   FROM public.user_reports r JOIN public.profiles p ON p.id = r.reporter_user_id),
                  'sara_conti:workout:40000000-0000-4000-8000-000000000106:spam:open', 'report of W06');
SELECT pg_temp.eq((SELECT string_agg(right(i.workout_id::text, 2) || ':' || p.username || ':' || i.interaction_type || ':' || coalesce(i.reaction_type::text, i.comment_text), ',' ORDER BY i.id)
                   FROM public.social_interactions i JOIN public.profiles p ON p.id = i.actor_user_id),
                  '01:giulia_rossi:reaction:fist,01:jake_miller:reaction:fire,01:davide_romano:comment:Huge squat triple, Sara!,07:sara_conti:reaction:crown',
                  'reactions and the comment');

-- ---- feature flags (99 §5)
SELECT pg_temp.eq((SELECT count(*) FROM public.feature_flags), 14::bigint, '14 flags');
SELECT pg_temp.eq((SELECT string_agg(key || '=' || enabled || '/' || rollout_percentage, ',' ORDER BY key) FROM public.feature_flags),
                  'billing_live=false/0,checkin_access_control_enabled=true/100,class_waitlist_enabled=true/100,consent_capture_enabled=true/100,'
                  'ml_recommendations_enabled=false/0,privacy_requests_enabled=true/100,provider_apple_health_enabled=true/100,'
                  'provider_fitbit_enabled=false/0,provider_garmin_enabled=true/100,provider_huawei_health_enabled=false/0,'
                  'provider_oura_enabled=false/0,provider_suunto_enabled=false/0,provider_whoop_enabled=false/0,public_feed_boost_enabled=false/0',
                  'flag states (99 §5)');
SELECT pg_temp.eq((SELECT description FROM public.feature_flags WHERE key = 'public_feed_boost_enabled'), 'Boosted public feed ranking experiment', 'a description');

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.feature_flags$q$), 14::bigint, 'a member reads every flag (FEATURE_FLAG_READ)');
SELECT pg_temp.eq((SELECT enabled FROM public.feature_flags WHERE key = 'public_feed_boost_enabled'), false, 'the feed reads public_feed_boost_enabled');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.feature_flags SET enabled = true WHERE key = 'billing_live'$q$), 0::bigint, 'a member cannot flip a flag');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.feature_flags$q$), 0::bigint, 'a member cannot delete flags');
SELECT pg_temp.fails($q$INSERT INTO public.feature_flags (key, description) VALUES ('x_enabled', 'x')$q$,
                     '42501', 'new row violates row-level security policy for table "feature_flags"', 'a member cannot add a flag');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.feature_flags SET enabled = true WHERE key = 'billing_live'$q$), 0::bigint, 'a gym owner cannot flip a flag either');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.feature_flags$q$, '42501', 'permission denied for table feature_flags', 'anon reads no flags');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.feature_flags SET enabled = true, rollout_percentage = 10,
                                      updated_by = '20000000-0000-4000-8000-000000000021' WHERE key = 'public_feed_boost_enabled'$q$), 1::bigint, 'service flips a flag');
SELECT pg_temp.fails($q$UPDATE public.feature_flags SET rollout_percentage = 101 WHERE key = 'billing_live'$q$, '23514', NULL, 'rollout_percentage is 0..100');

ROLLBACK;
