-- Evaluation runs (issue 10 §2): a candidate model version answers the eval split of its dataset beside the
-- version serving its tier; an operator judges each pair blind. The run is a record from its start, with one item
-- per eval example, so that an app that closes mid-run carries on with the unanswered items; the report (win rate
-- with its interval, per company) is stored with the run when every answered item has a verdict, and is what the
-- deploy gate reads.

CREATE TABLE evaluation_runs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  candidate_model_id UUID NOT NULL REFERENCES model_registry(id) ON DELETE CASCADE,
  -- owner/name@commit of the candidate, as it was when the run started.
  candidate_version TEXT NOT NULL,
  candidate_source TEXT NOT NULL CONSTRAINT evaluation_runs_source_valid CHECK (candidate_source IN ('staging', 'local')),
  tier TEXT NOT NULL CONSTRAINT evaluation_runs_tier_valid CHECK (tier IN ('base', 'company', 'abstraction')),
  -- The version serving the tier when the run started (the live Space's model_version, or its name).
  serving_version TEXT NOT NULL,
  -- The dataset whose eval split was replayed, owner/name@commit.
  dataset_version TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'generating'
    CONSTRAINT evaluation_runs_status_valid CHECK (status IN ('generating', 'judging', 'completed', 'failed', 'cancelled')),
  item_count INTEGER NOT NULL CONSTRAINT evaluation_runs_items_positive CHECK (item_count > 0),
  failure_reason TEXT,
  judge_model TEXT,
  -- src-shared/evaluation-contract.ts's EvaluationReport, once computed.
  report JSONB,
  created_by UUID NOT NULL REFERENCES users(id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX evaluation_runs_recent_idx ON evaluation_runs (created_at DESC);
-- The deploy gate's read: a candidate's newest completed run for a tier.
CREATE INDEX evaluation_runs_candidate_idx ON evaluation_runs (candidate_model_id, tier, finished_at DESC) WHERE status = 'completed';
-- The runs a starting app carries on with.
CREATE INDEX evaluation_runs_generating_idx ON evaluation_runs (created_at) WHERE status = 'generating';

CREATE TABLE evaluation_items (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  run_id UUID NOT NULL REFERENCES evaluation_runs(id) ON DELETE CASCADE,
  position INTEGER NOT NULL CONSTRAINT evaluation_items_position_valid CHECK (position >= 0),
  company_slug TEXT,
  -- [{role, content}]: the conversation up to the prompt.
  messages JSONB NOT NULL CONSTRAINT evaluation_items_messages_array CHECK (jsonb_typeof(messages) = 'array'),
  -- The example's reference answer (for a judge model; never shown beside the blind pair).
  reference TEXT,
  -- The blind order drawn for this item: true when the candidate is answer a.
  candidate_first BOOLEAN NOT NULL,
  -- {text, error, timeToFirstTokenMs, latencyMs}; NULL until that side has answered. Written once.
  candidate_answer JSONB,
  serving_answer JSONB,
  verdict TEXT CONSTRAINT evaluation_items_verdict_valid CHECK (verdict IN ('candidate', 'serving', 'tie')),
  judged_by UUID REFERENCES users(id) ON DELETE SET NULL,
  judged_at TIMESTAMPTZ,
  judge_verdict TEXT CONSTRAINT evaluation_items_judge_verdict_valid CHECK (judge_verdict IN ('candidate', 'serving', 'tie')),
  CONSTRAINT evaluation_items_position_unique UNIQUE (run_id, position)
);

-- A run with the counts the Evaluation page lists; security_invoker so the tables' row-level security applies to
-- whoever reads it.
CREATE VIEW evaluation_run_summaries WITH (security_invoker = true) AS
  SELECT r.*,
    (SELECT count(*) FROM evaluation_items i WHERE i.run_id = r.id AND i.candidate_answer IS NOT NULL AND i.serving_answer IS NOT NULL)::integer AS answered_count,
    (SELECT count(*) FROM evaluation_items i WHERE i.run_id = r.id AND i.verdict IS NOT NULL)::integer AS judged_count
  FROM evaluation_runs r;

-- Row-level security, as in 014: ML leads and admins run and judge evaluations; nobody else sees them.
REVOKE ALL ON evaluation_runs, evaluation_items, evaluation_run_summaries FROM anon, authenticated;
GRANT ALL ON evaluation_runs, evaluation_items, evaluation_run_summaries TO service_role;
GRANT SELECT, INSERT, UPDATE ON evaluation_runs, evaluation_items TO authenticated;
GRANT SELECT ON evaluation_run_summaries TO authenticated;
ALTER TABLE evaluation_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE evaluation_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY evaluation_runs_read_by_ml_lead ON evaluation_runs FOR SELECT TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin'));
CREATE POLICY evaluation_runs_started_by_ml_lead ON evaluation_runs FOR INSERT TO authenticated
  WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin') AND created_by = (SELECT auth.uid()));
CREATE POLICY evaluation_runs_followed_by_ml_lead ON evaluation_runs FOR UPDATE TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin')) WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin'));
CREATE POLICY evaluation_items_read_by_ml_lead ON evaluation_items FOR SELECT TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin'));
CREATE POLICY evaluation_items_added_by_ml_lead ON evaluation_items FOR INSERT TO authenticated
  WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin'));
-- A verdict is the operator's own: nobody records one in someone else's name.
CREATE POLICY evaluation_items_judged_by_ml_lead ON evaluation_items FOR UPDATE TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin'))
  WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin') AND (judged_by IS NULL OR judged_by = (SELECT auth.uid())));

-- SqlEvaluationRepository.create for the Supabase adapter: the run and all its items in one transaction, so a run
-- is never seen with half its items.
CREATE FUNCTION public.triad_create_evaluation_run(p_run json, p_items json) RETURNS SETOF evaluation_run_summaries
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  created uuid;
BEGIN
  INSERT INTO evaluation_runs (id, candidate_model_id, candidate_version, candidate_source, tier, serving_version,
    dataset_version, item_count, judge_model, created_by)
  SELECT COALESCE(r.id, gen_random_uuid()), r.candidate_model_id, r.candidate_version, r.candidate_source, r.tier,
    r.serving_version, r.dataset_version, json_array_length(p_items), r.judge_model, r.created_by
    FROM json_to_record(p_run) AS r(id uuid, candidate_model_id uuid, candidate_version text, candidate_source text,
      tier text, serving_version text, dataset_version text, judge_model text, created_by uuid)
  RETURNING id INTO created;
  INSERT INTO evaluation_items (run_id, position, company_slug, messages, reference, candidate_first)
  SELECT created, i.position, i.company_slug, i.messages, i.reference, i.candidate_first
    FROM json_to_recordset(p_items) AS i(position integer, company_slug text, messages jsonb, reference text, candidate_first boolean);
  RETURN QUERY SELECT * FROM evaluation_run_summaries WHERE id = created;
END
$$;

REVOKE EXECUTE ON FUNCTION public.triad_create_evaluation_run(json, json) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.triad_create_evaluation_run(json, json) TO authenticated, service_role;

-- The adapter needs triad_create_evaluation_run: the API version goes to 14. CREATE OR REPLACE keeps the privileges of 009.
CREATE OR REPLACE FUNCTION public.triad_session() RETURNS json
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  SELECT json_build_object('api_version', 14, 'user_id', auth.uid(), 'role', triad_role())
$$;
