-- A training run may be followed by more than one app at once: two computers of a team each take up the team's
-- unfinished runs at start (and a CLI may follow one too). The model is already registered once (014: the run's
-- row is locked and its model_id checked; model_registry_training_run_idx). Here the other writes become safe to
-- repeat, so a second follower records nothing twice and cannot undo the first one's end:
--   * a progress point is appended only past the highest step recorded;
--   * a stage is recorded (and added to the history) only when it changes, and never after the run finished.
-- Following only the runs this installation launched was the other way; it would leave a run launched on a
-- computer that is gone unfollowed for good, its model never registered. The signature stays: API version 16.
CREATE OR REPLACE FUNCTION public.triad_update_training_run(
  p_id uuid, p_job_id text, p_stage text, p_history jsonb, p_progress jsonb, p_last_log_lines text[],
  p_failure_reason text, p_failure_reason_given boolean, p_started_at timestamptz, p_finished_at timestamptz
) RETURNS SETOF training_runs
  LANGUAGE sql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  UPDATE training_runs SET
    job_id = COALESCE(p_job_id, job_id),
    stage = CASE WHEN finished_at IS NULL THEN COALESCE(p_stage, stage) ELSE stage END,
    stage_history = CASE WHEN finished_at IS NULL AND p_stage IS DISTINCT FROM stage THEN stage_history || p_history ELSE stage_history END,
    progress = progress || COALESCE((
      SELECT jsonb_agg(point) FROM jsonb_array_elements(p_progress) AS point
       WHERE (point ->> 'step')::numeric > COALESCE((SELECT max((recorded ->> 'step')::numeric) FROM jsonb_array_elements(training_runs.progress) AS recorded), -1)
    ), '[]'::jsonb),
    last_log_lines = COALESCE(p_last_log_lines, last_log_lines),
    failure_reason = CASE WHEN p_failure_reason_given THEN p_failure_reason ELSE failure_reason END,
    started_at = COALESCE(started_at, p_started_at),
    finished_at = COALESCE(finished_at, p_finished_at),
    updated_at = now()
  WHERE id = p_id
  RETURNING *
$$;
