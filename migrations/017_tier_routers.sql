-- Learned tier routers (issue 10 §3): per company, a scorer trained on Compare votes and thumbs that says when
-- the company tier's answer beats the base tier's, with the threshold calibrated to the share of requests the
-- operator allowed to the company tier. Every training is a row (who, when, on how many votes, with its
-- offline evaluation); the newest row of a company is the router that serves.

CREATE TABLE tier_routers (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  strong_tier TEXT NOT NULL CONSTRAINT tier_routers_strong_tier_valid CHECK (strong_tier IN ('base', 'company', 'abstraction')),
  weak_tier TEXT NOT NULL CONSTRAINT tier_routers_weak_tier_valid CHECK (weak_tier IN ('base', 'company', 'abstraction')),
  CONSTRAINT tier_routers_two_tiers CHECK (strong_tier <> weak_tier),
  -- The fitted model as src-main/router/tier-router-model.ts writes it (feature space, IDF and weight per bucket).
  model JSONB NOT NULL,
  -- Scores at or above it go to the strong tier. Just above 1 when the operator allowed no share at all.
  threshold DOUBLE PRECISION NOT NULL CONSTRAINT tier_routers_threshold_range CHECK (threshold >= 0 AND threshold <= 1.001),
  target_share DOUBLE PRECISION NOT NULL CONSTRAINT tier_routers_target_share_range CHECK (target_share >= 0 AND target_share <= 1),
  vote_counts JSONB NOT NULL,
  metrics JSONB NOT NULL,
  trained_by UUID NOT NULL REFERENCES users(id),
  trained_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The current router of each company: the newest row.
CREATE INDEX tier_routers_current_idx ON tier_routers (company_id, trained_at DESC, id DESC);

-- Row-level security, as in 008: the selector runs as the signed-in operator, so every operator reads the routers
-- of the companies they may see; ML leads and admins train them, for those companies only, as themselves. A
-- training is never changed afterwards: no UPDATE or DELETE for anyone but the service role.
REVOKE ALL ON tier_routers FROM anon, authenticated;
GRANT ALL ON tier_routers TO service_role;
GRANT SELECT, INSERT ON tier_routers TO authenticated;
ALTER TABLE tier_routers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tier_routers_read_by_members ON tier_routers FOR SELECT TO authenticated
  USING (triad_can_see_company(company_id));
CREATE POLICY tier_routers_trained_by_ml_lead ON tier_routers FOR INSERT TO authenticated
  WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin') AND trained_by = (SELECT auth.uid()) AND triad_can_see_company(company_id));

-- The router that serves, per company, with the company's slug: what both store backends read. security_invoker,
-- so the policies above (and those of companies) apply to whoever reads the view.
CREATE VIEW tier_routers_current WITH (security_invoker = true) AS
  SELECT DISTINCT ON (r.company_id) r.id, c.slug AS company_slug, r.strong_tier, r.weak_tier, r.model, r.threshold,
         r.target_share, r.vote_counts, r.metrics, r.trained_by, r.trained_at
    FROM tier_routers r JOIN companies c ON c.id = r.company_id
   ORDER BY r.company_id, r.trained_at DESC, r.id DESC;
REVOKE ALL ON tier_routers_current FROM anon, authenticated;
GRANT SELECT ON tier_routers_current TO authenticated, service_role;

-- What a router trains on, for both store backends: the Compare votes on the company's requests with their prompt
-- and each answer's tier, and the thumbs on the company's requests with the request's prompt and tier.
-- SECURITY INVOKER like 013's triad_list_votes: the policies of 008 decide which votes and feedback the trainer
-- sees (an ML lead their own votes and their companies' feedback, an admin everything).
CREATE FUNCTION public.triad_router_sources(p_company_slug text) RETURNS json
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  SELECT json_build_object(
    'votes', (
      SELECT coalesce(json_agg(json_build_object(
               'id', p.id, 'prompt', p.prompt, 'verdict', p.verdict, 'winnerRequestId', p.winner_request_id,
               'createdAt', p.created_at,
               'answers', (SELECT json_agg(json_build_object('requestId', shown.request_id, 'tier', r.tier) ORDER BY shown.position)
                             FROM unnest(p.request_ids) WITH ORDINALITY AS shown(request_id, position)
                             LEFT JOIN llm_requests r ON r.id = shown.request_id))
             ORDER BY p.created_at, p.id), '[]'::json)
        FROM preferences p
       WHERE EXISTS (SELECT 1 FROM llm_requests r JOIN companies c ON c.id = r.company_id
                      WHERE r.id = ANY (p.request_ids) AND c.slug = p_company_slug)),
    'thumbs', (
      SELECT coalesce(json_agg(json_build_object(
               'requestId', r.id, 'tier', r.tier, 'thumbs', f.thumbs, 'createdAt', f.updated_at,
               'prompt', (SELECT m.content FROM messages m WHERE m.request_id = r.id AND m.role = 'user'
                           ORDER BY m.created_at DESC, m.id LIMIT 1))
             ORDER BY f.updated_at, f.id), '[]'::json)
        FROM feedback f
        JOIN llm_requests r ON r.id = f.request_id
        JOIN companies c ON c.id = r.company_id
       WHERE c.slug = p_company_slug AND f.thumbs IS NOT NULL))
$$;

REVOKE EXECUTE ON FUNCTION public.triad_router_sources(text) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.triad_router_sources(text) TO authenticated, service_role;

-- The adapter needs triad_router_sources: the API version goes to 15. CREATE OR REPLACE keeps the privileges of 009.
CREATE OR REPLACE FUNCTION public.triad_session() RETURNS json
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  SELECT json_build_object('api_version', 15, 'user_id', auth.uid(), 'role', triad_role())
$$;
