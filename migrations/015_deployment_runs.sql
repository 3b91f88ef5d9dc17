-- Deployments (issue 9): every deploy or rollback of a model version to a tier's Space is a record with its
-- steps (status, times, log lines), who started it, and the gate's verdict or the override reason. The seed's
-- hf_deployments keeps its columns; deployment_status is 'running', 'succeeded', 'failed' or 'rolled_back'
-- (failed, and the tier went back to its previous version).

ALTER TABLE hf_deployments ADD COLUMN tier TEXT CONSTRAINT hf_deployments_tier_valid CHECK (tier IN ('base', 'company', 'abstraction'));
ALTER TABLE hf_deployments ADD COLUMN target TEXT NOT NULL DEFAULT 'live' CONSTRAINT hf_deployments_target_valid CHECK (target IN ('live', 'staging'));
ALTER TABLE hf_deployments ADD COLUMN kind TEXT NOT NULL DEFAULT 'deploy' CONSTRAINT hf_deployments_kind_valid CHECK (kind IN ('deploy', 'rollback'));
-- The Space repo, owner/name.
ALTER TABLE hf_deployments ADD COLUMN space_repo TEXT;
-- The model version deployed, owner/name@commit.
ALTER TABLE hf_deployments ADD COLUMN model_version TEXT;
ALTER TABLE hf_deployments ADD COLUMN previous_deployment_id UUID REFERENCES hf_deployments(id) ON DELETE SET NULL;
-- [{name, status, startedAt, finishedAt, message, log}] in order.
ALTER TABLE hf_deployments ADD COLUMN steps JSONB NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE hf_deployments ADD COLUMN hardware TEXT;
ALTER TABLE hf_deployments ADD COLUMN sleep_time_seconds INTEGER;
ALTER TABLE hf_deployments ADD COLUMN override_reason TEXT;
ALTER TABLE hf_deployments ADD COLUMN created_by UUID REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE hf_deployments ADD COLUMN finished_at TIMESTAMPTZ;

-- One deploy per tier and target at a time: a second one is refused by the database itself, whichever app or
-- command starts it.
CREATE UNIQUE INDEX hf_deployments_one_running_per_tier_idx ON hf_deployments (tier, target) WHERE deployment_status = 'running';
CREATE INDEX hf_deployments_tier_recent_idx ON hf_deployments (tier, created_at DESC);

-- SqlModelRegistryRepository.updateDeployment with steps, for the Supabase adapter (as 009's function, which it
-- replaces in the adapter: a policy that refuses an UPDATE must read as refused, not as "no such deployment").
CREATE FUNCTION public.triad_update_deployment_run(
  p_id uuid, p_deployment_status text, p_deployment_logs text, p_steps jsonb, p_finished_at timestamptz
) RETURNS SETOF hf_deployments
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN QUERY
    UPDATE hf_deployments
       SET deployment_status = p_deployment_status, deployment_logs = COALESCE(p_deployment_logs, deployment_logs),
           steps = COALESCE(p_steps, steps), finished_at = COALESCE(finished_at, p_finished_at), updated_at = now()
     WHERE id = p_id
    RETURNING *;
  IF NOT FOUND AND EXISTS (SELECT 1 FROM hf_deployments WHERE id = p_id) THEN
    RAISE EXCEPTION 'row-level security: % may not update deployments', coalesce(triad_role(), 'this operator')
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION public.triad_update_deployment_run(uuid, text, text, jsonb, timestamptz) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.triad_update_deployment_run(uuid, text, text, jsonb, timestamptz) TO authenticated, service_role;
