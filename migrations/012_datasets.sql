-- Datasets (issue 8 §3, §5): ML leads build SFT and DPO datasets from reviewed answers, feedback and Compare votes,
-- and push them to a private dataset repo on the Hugging Face Hub. Each build is one row of dataset_versions; a
-- push fills in the repo and the Hub's commit only once the commit succeeded (status 'pushed'), so a row never
-- claims a push that did not happen. A failed push keeps the row as 'push_failed' with the reason, and the built
-- files stay on disk (src-main/datasets/), so the push can be retried, after a restart too.

CREATE TABLE dataset_versions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  kind TEXT NOT NULL CONSTRAINT dataset_versions_kind_valid CHECK (kind IN ('sft', 'dpo')),
  tier TEXT NOT NULL CONSTRAINT dataset_versions_tier_valid CHECK (tier IN ('base', 'company', 'abstraction')),
  -- The company of a Company dataset; NULL for the Base and Abstraction tiers.
  company_slug TEXT NULL,
  -- Examples per split and per source and label, what the filters removed, the parameters (k, seed, eval share).
  counts JSONB NOT NULL DEFAULT '{}'::jsonb,
  anonymiser_version TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'built' CONSTRAINT dataset_versions_status_valid CHECK (status IN ('built', 'pushed', 'push_failed')),
  -- `owner/name` of the dataset repo on the Hub, and the commit the push made: set together, by a push that succeeded.
  repo TEXT NULL,
  commit_sha TEXT NULL,
  -- Why the last push failed, in words the operator can act on (never a token).
  push_error TEXT NULL,
  created_by UUID NOT NULL REFERENCES users(id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  pushed_at TIMESTAMPTZ NULL,
  CONSTRAINT dataset_versions_company_for_company_tier CHECK ((tier = 'company') = (company_slug IS NOT NULL)),
  CONSTRAINT dataset_versions_pushed_has_commit CHECK (
    (status = 'pushed' AND repo IS NOT NULL AND commit_sha IS NOT NULL AND pushed_at IS NOT NULL)
    OR (status <> 'pushed' AND commit_sha IS NULL)
  )
);
CREATE INDEX dataset_versions_recent_idx ON dataset_versions (created_at DESC);

-- Row-level security as in 008: ML leads and admins build and push datasets, and read the history; analysts see
-- nothing of it. A row carries its builder's auth.uid().
REVOKE ALL ON dataset_versions FROM anon, authenticated;
GRANT ALL ON dataset_versions TO service_role;
GRANT SELECT, INSERT, UPDATE ON dataset_versions TO authenticated;
ALTER TABLE dataset_versions ENABLE ROW LEVEL SECURITY;

CREATE POLICY dataset_versions_read_by_ml_lead ON dataset_versions FOR SELECT TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin'));
CREATE POLICY dataset_versions_built_by_ml_lead ON dataset_versions FOR INSERT TO authenticated
  WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin') AND created_by = (SELECT auth.uid()));
CREATE POLICY dataset_versions_pushed_by_ml_lead ON dataset_versions FOR UPDATE TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin'))
  WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin'));

-- What a dataset is built from, as JSON {requests, votes}: every answered request of the tier (of one company when
-- p_company is set) with its prompt, answer, company, current review label and all its feedback, plus the Compare
-- votes that showed one of those answers, and the other answers those votes showed. SECURITY INVOKER: on Supabase
-- the policies of 008 and 011 decide what the operator reads (an ML lead their companies', an admin all).
CREATE FUNCTION public.triad_dataset_sources(p_tier text, p_company text) RETURNS json
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  WITH picked AS (
    SELECT r.id FROM llm_requests r LEFT JOIN companies c ON c.id = r.company_id
     WHERE r.tier = p_tier AND r.status = 'ok' AND (p_company IS NULL OR c.slug = p_company)
  ),
  votes AS (
    SELECT p.id, p.prompt, p.request_ids, p.verdict, p.winner_request_id, p.created_at
      FROM preferences p
     WHERE p.verdict = 'winner' AND EXISTS (SELECT 1 FROM picked WHERE picked.id = ANY (p.request_ids))
  ),
  wanted AS (
    SELECT id FROM picked
    UNION SELECT unnest(request_ids) FROM votes
  )
  SELECT json_build_object(
    'requests', (
      SELECT coalesce(json_agg(json_build_object(
               'id', r.id, 'tier', r.tier, 'company', c.slug, 'createdAt', r.created_at,
               'modelId', r.model_id, 'modelVersion', r.model_version,
               'prompt', (SELECT m.content FROM messages m WHERE m.request_id = r.id AND m.role = 'user' ORDER BY m.created_at DESC, m.id LIMIT 1),
               'answer', (SELECT m.content FROM messages m WHERE m.request_id = r.id AND m.role = 'assistant' ORDER BY m.created_at DESC, m.id LIMIT 1),
               'label', (SELECT json_build_object('label', l.label, 'correctedAnswer', l.corrected_answer)
                           FROM review_labels l WHERE l.request_id = r.id),
               'feedback', (SELECT coalesce(json_agg(json_build_object('thumbs', f.thumbs, 'correctedAnswer', f.corrected_answer)
                                     ORDER BY f.updated_at DESC, f.id), '[]'::json)
                              FROM feedback f WHERE f.request_id = r.id)
             ) ORDER BY r.created_at, r.id), '[]'::json)
        FROM llm_requests r LEFT JOIN companies c ON c.id = r.company_id
       WHERE r.id IN (SELECT id FROM wanted) AND r.status = 'ok'),
    'votes', (
      SELECT coalesce(json_agg(json_build_object('id', v.id, 'prompt', v.prompt, 'requestIds', v.request_ids,
               'winnerRequestId', v.winner_request_id, 'createdAt', v.created_at) ORDER BY v.created_at, v.id), '[]'::json)
        FROM votes v)
  )
$$;

REVOKE EXECUTE ON FUNCTION public.triad_dataset_sources(text, text) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.triad_dataset_sources(text, text) TO authenticated, service_role;
