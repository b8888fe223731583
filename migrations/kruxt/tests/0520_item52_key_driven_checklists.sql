-- Item 52 (database side): the legal copy catalogue the flows' checklistKeys refer to (99 §6): every key of the
-- phase 2/3/8 mobile checklists and of the admin phase 8 checklist, the error keys and the timestamp fallback,
-- each with its en-US default text and it-IT translation, loaded by the server from these two tables.

BEGIN;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(grp || '=' || n, ',' ORDER BY grp)
                   FROM (SELECT CASE WHEN copy_key LIKE 'legal.flow.admin.phase8.%' THEN 'admin.phase8'
                                     WHEN copy_key LIKE 'legal.flow.phase2.%' THEN 'phase2'
                                     WHEN copy_key LIKE 'legal.flow.phase3.%' THEN 'phase3'
                                     WHEN copy_key LIKE 'legal.flow.phase8.%' THEN 'phase8'
                                     WHEN copy_key LIKE 'legal.error.%' THEN 'error'
                                     ELSE copy_key END AS grp, count(*) AS n
                         FROM public.legal_copy_keys GROUP BY 1) q),
                  'admin.phase8=8,error=4,legal.timestamp.not_available=1,phase2=6,phase3=5,phase8=4',
                  '28 keys: admin phase 8 (8), phase 2 (6), phase 3 (5), phase 8 (4), errors (4), timestamp (1)');
SELECT pg_temp.eq((SELECT string_agg(copy_key, ',' ORDER BY copy_key) FROM public.legal_copy_keys WHERE copy_key LIKE 'legal.flow.admin.phase8.%'),
                  'legal.flow.admin.phase8.highlight_overdue,legal.flow.admin.phase8.load_open_requests,legal.flow.admin.phase8.load_policy_versions,'
                  'legal.flow.admin.phase8.load_privacy_metrics,legal.flow.admin.phase8.load_queue_filters,legal.flow.admin.phase8.open_runbook,'
                  'legal.flow.admin.phase8.show_sla_badges,legal.flow.admin.phase8.transition_status_notes',
                  'the eight checklistKeys of createPhase8ComplianceOpsFlow');
SELECT pg_temp.eq((SELECT count(*) FROM public.legal_copy_keys k
                   WHERE NOT EXISTS (SELECT 1 FROM public.legal_copy_translations t WHERE t.copy_key = k.copy_key AND t.locale = 'it-IT')), 0::bigint,
                  'every key has an it-IT translation');
SELECT pg_temp.eq((SELECT default_text || ' / ' || t.translated_text FROM public.legal_copy_keys k JOIN public.legal_copy_translations t USING (copy_key)
                   WHERE copy_key = 'legal.flow.admin.phase8.show_sla_badges'),
                  'Show SLA badges: breached, at risk, on track / Mostra i badge SLA: violata, a rischio, nei tempi', '99 §6 texts verbatim');
SELECT pg_temp.eq((SELECT default_text FROM public.legal_copy_keys WHERE copy_key = 'legal.flow.phase2.authenticate_user')
                  || (SELECT translated_text FROM public.legal_copy_translations WHERE copy_key = 'legal.flow.phase2.authenticate_user'),
                  'Sign in or create the accountAccedi o crea l''account', 'apostrophes kept');
SELECT pg_temp.ok((SELECT bool_and(default_text !~ '^\s|\s$' AND default_text <> '' AND default_text !~ '  ') FROM public.legal_copy_keys),
                  'no blank or padded default texts');
SELECT pg_temp.ok((SELECT bool_and(copy_key ~ '^legal\.(flow|error|timestamp)\.') FROM public.legal_copy_keys), 'every key is a legal.* key');
-- the catalogue is one read of two tables (what the server loads at startup), in a stable order
SELECT pg_temp.eq((SELECT count(*) FROM public.legal_copy_keys k LEFT JOIN public.legal_copy_translations t USING (copy_key)), 28::bigint,
                  'catalogue load: 28 keys x their translations');

ROLLBACK;
