-- Training runs (issue 10): a model version trained on Hugging Face Jobs from a dataset Triad pushed. A run is a
-- record from the moment it is launched, with its stages, so that an app that closes and reopens picks it up;
-- a successful run registers its model in model_registry, which gains what a trained version needs.

CREATE TABLE training_runs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The Hub's job, once the Hub has accepted it (NULL while launching: a launch the app did not see answered is
  -- found again by its triad_run_id label).
  job_id TEXT,
  namespace TEXT NOT NULL,
  dataset_repo TEXT NOT NULL,
  dataset_revision TEXT NOT NULL,
  base_model TEXT NOT NULL,
  kind TEXT NOT NULL CONSTRAINT training_runs_kind_valid CHECK (kind IN ('sft', 'dpo')),
  -- Hyper-parameters as given to training/train.py.
  params JSONB NOT NULL DEFAULT '{}'::jsonb,
  flavor TEXT NOT NULL,
  -- The hardware's price when the run was launched, so the cost shown later does not change with the price list.
  price_usd_per_hour DOUBLE PRECISION,
  timeout_seconds INTEGER NOT NULL CONSTRAINT training_runs_timeout_positive CHECK (timeout_seconds > 0),
  output_repo TEXT NOT NULL,
  -- sha256 of the training script the job ran (training/train.py at launch).
  script_sha256 TEXT NOT NULL,
  -- launching, then the Hub's stages (SCHEDULING, RUNNING, COMPLETED, CANCELED, ERROR, DELETED), then, for a
  -- COMPLETED job, registered (the model is in model_registry) or failed (why in failure_reason).
  stage TEXT NOT NULL,
  -- [{stage, at, message}] in order: every change the app saw.
  stage_history JSONB NOT NULL DEFAULT '[]'::jsonb,
  -- [{step, loss, evalLoss, learningRate, at}] from the script's progress events, for the loss plot.
  progress JSONB NOT NULL DEFAULT '[]'::jsonb,
  -- The last log lines, kept for a failed run's explanation.
  last_log_lines TEXT[] NOT NULL DEFAULT '{}',
  failure_reason TEXT,
  model_id UUID REFERENCES model_registry(id) ON DELETE SET NULL,
  created_by UUID NOT NULL REFERENCES users(id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at TIMESTAMPTZ,
  finished_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX training_runs_recent_idx ON training_runs (created_at DESC);
-- The runs a starting app must follow again.
CREATE INDEX training_runs_unfinished_idx ON training_runs (created_at) WHERE finished_at IS NULL;
CREATE UNIQUE INDEX training_runs_job_idx ON training_runs (namespace, job_id) WHERE job_id IS NOT NULL;

-- A trained version in the registry: where it came from.
ALTER TABLE model_registry ADD COLUMN hf_commit TEXT;
ALTER TABLE model_registry ADD COLUMN base_model TEXT;
ALTER TABLE model_registry ADD COLUMN dataset_version TEXT;
ALTER TABLE model_registry ADD COLUMN gguf_file TEXT;
ALTER TABLE model_registry ADD COLUMN training_run_id UUID REFERENCES training_runs(id) ON DELETE SET NULL;
ALTER TABLE model_registry ADD COLUMN metrics JSONB;
-- One registered model per run: registering again (a restarted app finishing the same run) is refused.
CREATE UNIQUE INDEX model_registry_training_run_idx ON model_registry (training_run_id) WHERE training_run_id IS NOT NULL;

-- Row-level security, as in 008: ML leads and admins launch and follow runs; nobody else sees them.
REVOKE ALL ON training_runs FROM anon, authenticated;
GRANT ALL ON training_runs TO service_role;
GRANT SELECT, INSERT, UPDATE ON training_runs TO authenticated;
ALTER TABLE training_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY training_runs_read_by_ml_lead ON training_runs FOR SELECT TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin'));
CREATE POLICY training_runs_launched_by_ml_lead ON training_runs FOR INSERT TO authenticated
  WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin') AND created_by = (SELECT auth.uid()));
CREATE POLICY training_runs_followed_by_ml_lead ON training_runs FOR UPDATE TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin')) WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin'));

-- SqlTrainingRunRepository.update for the Supabase adapter: history and progress are appended in the database,
-- so two writers (the app and a CLI following the same run) never overwrite each other's points.
CREATE FUNCTION public.triad_update_training_run(
  p_id uuid, p_job_id text, p_stage text, p_history jsonb, p_progress jsonb, p_last_log_lines text[],
  p_failure_reason text, p_failure_reason_given boolean, p_started_at timestamptz, p_finished_at timestamptz
) RETURNS SETOF training_runs
  LANGUAGE sql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  UPDATE training_runs SET
    job_id = COALESCE(p_job_id, job_id),
    stage = COALESCE(p_stage, stage),
    stage_history = stage_history || p_history,
    progress = progress || p_progress,
    last_log_lines = COALESCE(p_last_log_lines, last_log_lines),
    failure_reason = CASE WHEN p_failure_reason_given THEN p_failure_reason ELSE failure_reason END,
    started_at = COALESCE(started_at, p_started_at),
    finished_at = COALESCE(finished_at, p_finished_at),
    updated_at = now()
  WHERE id = p_id
  RETURNING *
$$;

-- SqlTrainingRunRepository.complete: the model row and the run's link in one transaction; a run registers once.
CREATE FUNCTION public.triad_complete_training_run(p_id uuid, p_model json) RETURNS SETOF training_runs
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  run training_runs;
  registered uuid;
BEGIN
  SELECT * INTO run FROM training_runs WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF run.model_id IS NULL THEN
    INSERT INTO model_registry (name, version, tier, hf_model_id, hf_space_id, hf_space_url, hf_commit, base_model,
      dataset_version, gguf_file, training_run_id, metrics)
    SELECT m.name, m.version, m.tier, m.hf_model_id, m.hf_space_id, m.hf_space_url, m.hf_commit, m.base_model,
      m.dataset_version, m.gguf_file, p_id, m.metrics
      FROM json_to_record(p_model) AS m(name text, version text, tier text, hf_model_id text, hf_space_id text,
        hf_space_url text, hf_commit text, base_model text, dataset_version text, gguf_file text, metrics jsonb)
    RETURNING id INTO registered;
    UPDATE training_runs SET model_id = registered, stage = 'registered', finished_at = COALESCE(finished_at, now()),
      stage_history = stage_history || jsonb_build_array(jsonb_build_object('stage', 'registered', 'at', now(),
        'message', 'registered ' || (p_model ->> 'name') || '@' || (p_model ->> 'version'))),
      updated_at = now()
     WHERE id = p_id;
  END IF;
  RETURN QUERY SELECT * FROM training_runs WHERE id = p_id;
END
$$;

REVOKE EXECUTE ON FUNCTION
  public.triad_update_training_run(uuid, text, text, jsonb, jsonb, text[], text, boolean, timestamptz, timestamptz),
  public.triad_complete_training_run(uuid, json)
  FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION
  public.triad_update_training_run(uuid, text, text, jsonb, jsonb, text[], text, boolean, timestamptz, timestamptz),
  public.triad_complete_training_run(uuid, json)
  TO authenticated, service_role;
