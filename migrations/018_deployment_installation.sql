-- Which installation of the app ran a deploy (issue 9, "the app closed mid-deploy"): a random id kept in the
-- installation's embedded store. At start an app marks failed only the running deploys of its own installation,
-- because in a team's project a running deploy may be another computer's, still at work. Null for deploys
-- recorded before this column, and for those recorded by hand.
-- The row-level-security policies of 008 stay as they are: every operator reads deployments, ML leads and admins
-- write them, the deploying operator's own row included (triad_update_deployment_run runs as the invoker).
ALTER TABLE hf_deployments ADD COLUMN installation_id UUID;

-- The adapter writes installation_id: the API version goes to 16. CREATE OR REPLACE keeps the privileges of 009.
CREATE OR REPLACE FUNCTION public.triad_session() RETURNS json
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  SELECT json_build_object('api_version', 16, 'user_id', auth.uid(), 'role', triad_role())
$$;
