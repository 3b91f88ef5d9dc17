-- The leaderboard (issue 8 §2) reads each Compare vote with what was compared: the tier, model and version of
-- every answer shown, and the company the requests named. `preferences.request_ids` is an array, which no
-- foreign key covers, so PostgREST cannot embed the requests in one table request; this function does the
-- join, and both store backends call it (src-main/store/sql/ and supabase/preference-repository.ts).
--
-- SECURITY INVOKER like every function of 009: it runs as the signed-in operator, so the policies of 008
-- decide which votes (their own, or all for an admin) and which requests and companies they see. An answer
-- whose request is gone or hidden comes back with a null tier and model; the caller says how many it left out.

CREATE FUNCTION public.triad_list_votes(p_company_slug text, p_since timestamptz)
  RETURNS TABLE (id uuid, user_id uuid, verdict text, winner_request_id uuid, created_at timestamptz, answers json)
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  SELECT p.id, p.user_id, p.verdict, p.winner_request_id, p.created_at,
         (SELECT json_agg(json_build_object(
                   'request_id', shown.request_id, 'tier', r.tier, 'model_id', r.model_id,
                   'model_version', r.model_version, 'company_slug', c.slug) ORDER BY shown.position)
            FROM unnest(p.request_ids) WITH ORDINALITY AS shown(request_id, position)
            LEFT JOIN llm_requests r ON r.id = shown.request_id
            LEFT JOIN companies c ON c.id = r.company_id)
    FROM preferences p
   WHERE (p_since IS NULL OR p.created_at >= p_since)
     -- A Compare sends one company context to every tier, so a vote is the company's when any of its requests is.
     AND (p_company_slug IS NULL OR EXISTS (
           SELECT 1 FROM llm_requests r JOIN companies c ON c.id = r.company_id
            WHERE r.id = ANY (p.request_ids) AND c.slug = p_company_slug))
   ORDER BY p.created_at, p.id
$$;

REVOKE EXECUTE ON FUNCTION public.triad_list_votes(text, timestamptz) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.triad_list_votes(text, timestamptz) TO authenticated, service_role;

-- The adapter needs triad_list_votes: the API version goes to 13. CREATE OR REPLACE keeps the privileges of 009.
CREATE OR REPLACE FUNCTION public.triad_session() RETURNS json
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  SELECT json_build_object('api_version', 13, 'user_id', auth.uid(), 'role', triad_role())
$$;
