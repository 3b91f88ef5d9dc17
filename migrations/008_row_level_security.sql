-- Team mode (issue 5), part 2: row-level security on every table, for operators signed in to Supabase.
-- `users.id` is the operator's auth.uid(); their role and companies come from `users` and
-- `user_company_access` through triad_role() and triad_can_see_company() (007).
--
--   analyst   reads and writes only their own conversations, requests, messages, feedback and Compare
--             votes; sees only the companies they belong to (and those companies' knowledge)
--   ml_lead   as an analyst, plus: reads the requests and feedback of their companies; writes the model
--             registry, deployments, Space configuration, their companies' knowledge and the insights
--   admin     reads everything but other operators' conversations; manages users, companies, memberships,
--             feature flags and settings, and writes what an ML lead writes
--   anon      nothing at all
--
-- Nobody writes a row in someone else's name: every row with a user_id must carry the writer's auth.uid().
-- The request log and the messages are append-only through the API. The embedded app connects as the owner
-- of these tables, which row-level security does not restrict.
--
-- Policies wrap auth.uid() and triad_role() in a SELECT so that PostgreSQL evaluates them once per
-- statement instead of once per row (Supabase's advice for RLS performance).
--
-- Every table added later needs the same: ENABLE ROW LEVEL SECURITY, policies, and privileges as below.

-- Privileges. Revoke first: Supabase's default privileges give anon and authenticated ALL on every new table
-- in public, TRUNCATE included, which row-level security does not cover. Then grant authenticated exactly
-- the commands some policy allows, so a refused command is "permission denied" everywhere, not an empty result.
REVOKE ALL ON model_registry, hf_spaces_config, hf_deployments, companies, users, user_company_access,
  feature_flags, app_settings, conversations, llm_requests, messages, feedback, company_knowledge,
  cross_company_insights, preferences
  FROM anon, authenticated;
GRANT ALL ON model_registry, hf_spaces_config, hf_deployments, companies, users, user_company_access,
  feature_flags, app_settings, conversations, llm_requests, messages, feedback, company_knowledge,
  cross_company_insights, preferences
  TO service_role;
GRANT SELECT ON model_registry, hf_spaces_config, hf_deployments, companies, users, user_company_access,
  feature_flags, app_settings, conversations, llm_requests, messages, feedback, company_knowledge,
  cross_company_insights, preferences
  TO authenticated;
GRANT INSERT, UPDATE, DELETE ON model_registry, hf_spaces_config, hf_deployments, companies, users,
  feature_flags, app_settings, conversations, feedback, company_knowledge, cross_company_insights, preferences
  TO authenticated;
GRANT INSERT, DELETE ON user_company_access TO authenticated;
GRANT INSERT ON llm_requests, messages TO authenticated;

-- The migrator's own bookkeeping (absent when an admin applies the files with psql) is nobody's business
-- but the owner's.
DO $$
BEGIN
  IF to_regclass('public.schema_migrations') IS NOT NULL THEN
    REVOKE ALL ON public.schema_migrations FROM anon, authenticated;
    ALTER TABLE public.schema_migrations ENABLE ROW LEVEL SECURITY;
  END IF;
END $$;

ALTER TABLE model_registry ENABLE ROW LEVEL SECURITY;
ALTER TABLE hf_spaces_config ENABLE ROW LEVEL SECURITY;
ALTER TABLE hf_deployments ENABLE ROW LEVEL SECURITY;
ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_company_access ENABLE ROW LEVEL SECURITY;
ALTER TABLE feature_flags ENABLE ROW LEVEL SECURITY;
ALTER TABLE app_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE llm_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE feedback ENABLE ROW LEVEL SECURITY;
ALTER TABLE company_knowledge ENABLE ROW LEVEL SECURITY;
ALTER TABLE cross_company_insights ENABLE ROW LEVEL SECURITY;
ALTER TABLE preferences ENABLE ROW LEVEL SECURITY;

-- Directory: operators see themselves and their companies; admins manage it.
CREATE POLICY users_read_self_or_admin ON users FOR SELECT TO authenticated
  USING (id = (SELECT auth.uid()) OR (SELECT triad_role()) = 'admin');
CREATE POLICY users_written_by_admin ON users FOR ALL TO authenticated
  USING ((SELECT triad_role()) = 'admin') WITH CHECK ((SELECT triad_role()) = 'admin');

CREATE POLICY companies_read_by_members ON companies FOR SELECT TO authenticated
  USING (triad_can_see_company(id));
CREATE POLICY companies_written_by_admin ON companies FOR ALL TO authenticated
  USING ((SELECT triad_role()) = 'admin') WITH CHECK ((SELECT triad_role()) = 'admin');

CREATE POLICY memberships_read_own_or_admin ON user_company_access FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()) OR (SELECT triad_role()) = 'admin');
CREATE POLICY memberships_written_by_admin ON user_company_access FOR ALL TO authenticated
  USING ((SELECT triad_role()) = 'admin') WITH CHECK ((SELECT triad_role()) = 'admin');

-- Configuration every operator's app reads on each request; admins change it.
CREATE POLICY feature_flags_read ON feature_flags FOR SELECT TO authenticated USING (true);
CREATE POLICY feature_flags_written_by_admin ON feature_flags FOR ALL TO authenticated
  USING ((SELECT triad_role()) = 'admin') WITH CHECK ((SELECT triad_role()) = 'admin');

CREATE POLICY app_settings_read ON app_settings FOR SELECT TO authenticated USING (true);
CREATE POLICY app_settings_written_by_admin ON app_settings FOR ALL TO authenticated
  USING ((SELECT triad_role()) = 'admin') WITH CHECK ((SELECT triad_role()) = 'admin');

-- Spaces, the model registry and deployments: read by every operator (the router needs them), written by
-- ML leads and admins.
CREATE POLICY hf_spaces_config_read ON hf_spaces_config FOR SELECT TO authenticated USING (true);
CREATE POLICY hf_spaces_config_written_by_ml_lead ON hf_spaces_config FOR ALL TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin')) WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin'));

CREATE POLICY model_registry_read ON model_registry FOR SELECT TO authenticated USING (true);
CREATE POLICY model_registry_written_by_ml_lead ON model_registry FOR ALL TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin')) WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin'));

CREATE POLICY hf_deployments_read ON hf_deployments FOR SELECT TO authenticated USING (true);
CREATE POLICY hf_deployments_written_by_ml_lead ON hf_deployments FOR ALL TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin')) WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin'));

-- Conversations are private to their owner, admins included; one about a company needs access to it.
CREATE POLICY conversations_owned ON conversations FOR ALL TO authenticated
  USING (user_id = (SELECT auth.uid()))
  WITH CHECK (user_id = (SELECT auth.uid()) AND (company_id IS NULL OR triad_can_see_company(company_id)));

-- The request log: each operator logs their own requests; ML leads read their companies', admins all.
CREATE POLICY llm_requests_read ON llm_requests FOR SELECT TO authenticated
  USING (
    user_id = (SELECT auth.uid())
    OR (SELECT triad_role()) = 'admin'
    OR ((SELECT triad_role()) = 'ml_lead' AND company_id IS NOT NULL AND triad_can_see_company(company_id))
  );
CREATE POLICY llm_requests_logged_by_owner ON llm_requests FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND (company_id IS NULL OR triad_can_see_company(company_id)));

-- A message is readable with its conversation or its request (the subqueries see only what the reader may
-- see of those), and written only into the writer's own conversation and request.
CREATE POLICY messages_read_with_conversation_or_request ON messages FOR SELECT TO authenticated
  USING (
    EXISTS (SELECT 1 FROM conversations c WHERE c.id = messages.conversation_id)
    OR EXISTS (SELECT 1 FROM llm_requests r WHERE r.id = messages.request_id)
  );
CREATE POLICY messages_written_by_owner ON messages FOR INSERT TO authenticated
  WITH CHECK (
    (conversation_id IS NOT NULL OR request_id IS NOT NULL)
    AND (conversation_id IS NULL OR EXISTS (
      SELECT 1 FROM conversations c WHERE c.id = messages.conversation_id AND c.user_id = (SELECT auth.uid())))
    AND (request_id IS NULL OR EXISTS (
      SELECT 1 FROM llm_requests r WHERE r.id = messages.request_id AND r.user_id = (SELECT auth.uid())))
  );

-- Feedback: one's own, read and written; ML leads read the feedback on their companies' requests.
CREATE POLICY feedback_read ON feedback FOR SELECT TO authenticated
  USING (
    user_id = (SELECT auth.uid())
    OR (SELECT triad_role()) = 'admin'
    OR ((SELECT triad_role()) = 'ml_lead' AND EXISTS (
      SELECT 1 FROM llm_requests r
       WHERE r.id = feedback.request_id AND r.company_id IS NOT NULL AND triad_can_see_company(r.company_id)))
  );
CREATE POLICY feedback_written_by_owner ON feedback FOR ALL TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));

-- Compare votes: training data from each operator, read by admins.
CREATE POLICY preferences_read ON preferences FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()) OR (SELECT triad_role()) = 'admin');
CREATE POLICY preferences_written_by_owner ON preferences FOR ALL TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));

-- Knowledge: a company's snippets go with the company; the insights are anonymised, so every operator reads them.
CREATE POLICY company_knowledge_read_by_members ON company_knowledge FOR SELECT TO authenticated
  USING (triad_can_see_company(company_id));
CREATE POLICY company_knowledge_written_by_ml_lead ON company_knowledge FOR ALL TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin') AND triad_can_see_company(company_id))
  WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin') AND triad_can_see_company(company_id));

CREATE POLICY cross_company_insights_read ON cross_company_insights FOR SELECT TO authenticated USING (true);
CREATE POLICY cross_company_insights_written_by_ml_lead ON cross_company_insights FOR ALL TO authenticated
  USING ((SELECT triad_role()) IN ('ml_lead', 'admin')) WITH CHECK ((SELECT triad_role()) IN ('ml_lead', 'admin'));
