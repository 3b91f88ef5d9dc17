-- Team mode (issue 5), part 3: the functions the Supabase adapter (src-main/store/supabase/) calls through
-- PostgREST where one table request cannot do what the SQL store does in one statement: upserts that keep
-- an id or set updated_at = now(), JSON values that may be JSON null, the request-log batch with its
-- messages and conversations, transcripts and full-text search. Each mirrors the SQL of the same
-- repository method in src-main/store/sql/.
--
-- All are SECURITY INVOKER: they run as the signed-in operator, so the policies of 008 apply to every row
-- they read or write. Only signed-in operators may call them.

-- What the adapter asks when it opens: the version of these functions (it refuses a project older than it
-- needs; a later migration that changes what the adapter relies on replaces this function with its own
-- number), and who is signed in, with their role (NULL when they are not in `users`).
CREATE FUNCTION public.triad_session() RETURNS json
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  SELECT json_build_object('api_version', 9, 'user_id', auth.uid(), 'role', triad_role())
$$;

-- SqlRequestLogRepository.recordMany: conversations first (the messages reference them), then the requests,
-- then the messages of the requests that were new, so a retried batch adds nothing. Separate statements,
-- unlike the SQL store's single one: a policy checks each message against its request, and a statement
-- does not see the rows inserted by its own other parts. Returns how many requests were new.
CREATE FUNCTION public.triad_record_requests(p_conversations json, p_entries json) RETURNS integer
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  new_ids uuid[];
BEGIN
  INSERT INTO conversations (id, user_id, company_id, title, created_at, updated_at)
  SELECT DISTINCT ON (e.conversation_id)
         e.conversation_id, e.user_id, c.id, e.title, e.created_at,
         max(e.completed_at) OVER (PARTITION BY e.conversation_id)
    FROM json_to_recordset(p_conversations) AS e(
           conversation_id uuid, user_id uuid, company_slug text, title text, created_at timestamptz, completed_at timestamptz)
    JOIN users u ON u.id = e.user_id
    LEFT JOIN companies c ON c.slug = e.company_slug
   ORDER BY e.conversation_id, e.created_at
  ON CONFLICT (id) DO UPDATE SET updated_at = GREATEST(conversations.updated_at, EXCLUDED.updated_at);

  WITH inserted AS (
    INSERT INTO llm_requests (id, conversation_id, user_id, company_id, requested_tier, tier, provider, model_id,
      model_version, routing_reason, status, error_code, error_message, finish_reason, ttft_ms, latency_ms,
      tokens_in, tokens_out, created_at, completed_at, route_attempts, cache_hit)
    SELECT e.id, e.conversation_id, e.user_id, c.id, e.requested_tier, e.tier, e.provider, e.model_id,
      e.model_version, e.routing_reason, e.status, e.error_code, e.error_message, e.finish_reason, e.ttft_ms,
      e.latency_ms, e.tokens_in, e.tokens_out, e.created_at, e.completed_at, e.route_attempts, e.cache_hit
      FROM json_to_recordset(p_entries) AS e(
             id uuid, conversation_id uuid, user_id uuid, company_slug text, requested_tier text, tier text,
             provider text, model_id text, model_version text, routing_reason text, status text, error_code text,
             error_message text, finish_reason text, ttft_ms float8, latency_ms float8, tokens_in int,
             tokens_out int, created_at timestamptz, completed_at timestamptz, route_attempts jsonb, cache_hit boolean)
      LEFT JOIN companies c ON c.slug = e.company_slug
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  )
  SELECT array_agg(id) INTO new_ids FROM inserted;

  INSERT INTO messages (id, conversation_id, request_id, role, content, created_at)
  SELECT m.id, conv.id, e.id, m.role, m.content, m.created_at
    FROM json_to_recordset(p_entries) AS e(
           id uuid, conversation_id uuid, created_at timestamptz, completed_at timestamptz,
           prompt_id uuid, prompt text, answer_id uuid, answer text)
    LEFT JOIN conversations conv ON conv.id = e.conversation_id
    CROSS JOIN LATERAL (VALUES (e.prompt_id, 'user', e.prompt, e.created_at),
                               (e.answer_id, 'assistant', e.answer, e.completed_at)) AS m(id, role, content, created_at)
   WHERE e.id = ANY (new_ids) AND m.id IS NOT NULL
  ON CONFLICT (id) DO NOTHING;

  RETURN coalesce(cardinality(new_ids), 0);
END
$$;

-- SqlFeedbackRepository.save: a second save by the same user replaces every field but the id and created_at.
CREATE FUNCTION public.triad_save_feedback(
  p_id uuid, p_request_id uuid, p_user_id uuid, p_thumbs smallint, p_rating smallint, p_comment text,
  p_corrected_answer text
) RETURNS feedback
  LANGUAGE sql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  INSERT INTO feedback (id, request_id, user_id, thumbs, rating, comment, corrected_answer)
  VALUES (COALESCE(p_id, gen_random_uuid()), p_request_id, p_user_id, p_thumbs, p_rating, p_comment, p_corrected_answer)
  ON CONFLICT (request_id, user_id) DO UPDATE SET
    thumbs = EXCLUDED.thumbs, rating = EXCLUDED.rating, comment = EXCLUDED.comment,
    corrected_answer = EXCLUDED.corrected_answer, updated_at = now()
  RETURNING *
$$;

-- SqlPreferenceRepository.save: saving a vote again changes only its verdict.
CREATE FUNCTION public.triad_save_preference(
  p_id uuid, p_user_id uuid, p_prompt text, p_request_ids uuid[], p_verdict text, p_winner_request_id uuid
) RETURNS preferences
  LANGUAGE sql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  INSERT INTO preferences (id, user_id, prompt, request_ids, verdict, winner_request_id)
  VALUES (COALESCE(p_id, gen_random_uuid()), p_user_id, p_prompt, p_request_ids, p_verdict, p_winner_request_id)
  ON CONFLICT (id) DO UPDATE SET verdict = EXCLUDED.verdict, winner_request_id = EXCLUDED.winner_request_id
  RETURNING *
$$;

-- SqlSpaceConfigRepository.upsert: creates the Space, or replaces every field of the one with p_id.
CREATE FUNCTION public.triad_save_space(
  p_id uuid, p_space_name text, p_space_type text, p_api_endpoint text, p_is_active boolean, p_model_version text
) RETURNS hf_spaces_config
  LANGUAGE sql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  INSERT INTO hf_spaces_config (id, space_name, space_type, api_endpoint, is_active, model_version)
  VALUES (COALESCE(p_id, gen_random_uuid()), p_space_name, p_space_type, p_api_endpoint, p_is_active, p_model_version)
  ON CONFLICT (id) DO UPDATE SET
    space_name = EXCLUDED.space_name, space_type = EXCLUDED.space_type, api_endpoint = EXCLUDED.api_endpoint,
    is_active = EXCLUDED.is_active, model_version = EXCLUDED.model_version, updated_at = now()
  RETURNING *
$$;

-- SqlModelRegistryRepository.updateDeployment. A policy that refuses an UPDATE hides the row instead of
-- failing, which would read as "no such deployment": a deployment the operator can see but not change is
-- refused as such.
CREATE FUNCTION public.triad_update_deployment(p_id uuid, p_deployment_status text, p_deployment_logs text)
  RETURNS SETOF hf_deployments
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN QUERY
    UPDATE hf_deployments
       SET deployment_status = p_deployment_status, deployment_logs = COALESCE(p_deployment_logs, deployment_logs),
           updated_at = now()
     WHERE id = p_id
    RETURNING *;
  IF NOT FOUND AND EXISTS (SELECT 1 FROM hf_deployments WHERE id = p_id) THEN
    RAISE EXCEPTION 'row-level security: % may not update deployments', coalesce(triad_role(), 'this operator')
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END
$$;

-- Sql{FeatureFlag,Settings}Repository.set: the value arrives as JSON text, because PostgREST turns a JSON
-- null argument into SQL NULL, and a flag or setting may be JSON null.
CREATE FUNCTION public.triad_set_feature_flag(p_key text, p_value_json text, p_updated_by text) RETURNS void
  LANGUAGE sql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  INSERT INTO feature_flags (key, value, updated_by) VALUES (p_key, p_value_json::jsonb, p_updated_by)
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()
$$;

CREATE FUNCTION public.triad_set_app_setting(p_key text, p_value_json text) RETURNS void
  LANGUAGE sql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  INSERT INTO app_settings (key, value) VALUES (p_key, p_value_json::jsonb)
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
$$;

-- SqlConversationRepository.transcript: the messages of a conversation the viewer owns, oldest first, each
-- with its request and the viewer's feedback, as one JSON array (PostgREST keeps its order).
CREATE FUNCTION public.triad_transcript(p_conversation_id uuid, p_viewer_id uuid) RETURNS json
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  SELECT coalesce(json_agg(t ORDER BY t.created_at, t.role_rank, t.id), '[]'::json)
    FROM (
      SELECT m.id, m.conversation_id, m.request_id, m.role, m.content, m.created_at,
             CASE m.role WHEN 'system' THEN 0 WHEN 'user' THEN 1 ELSE 2 END AS role_rank,
             r.id AS r_id, r.tier, r.provider, r.model_id, r.model_version, r.routing_reason, r.status, r.error_code,
             r.error_message, r.finish_reason, r.ttft_ms, r.latency_ms, r.tokens_in, r.tokens_out,
             r.route_attempts, r.cache_hit,
             f.id AS f_id, f.thumbs, f.rating, f.comment, f.corrected_answer, f.created_at AS f_created_at,
             f.updated_at AS f_updated_at
        FROM messages m
        LEFT JOIN llm_requests r ON r.id = m.request_id
        LEFT JOIN feedback f ON f.request_id = m.request_id AND f.user_id = p_viewer_id AND m.role = 'assistant'
       WHERE m.conversation_id = p_conversation_id
         AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = m.conversation_id AND c.user_id = p_viewer_id)
    ) t
$$;

-- SqlKnowledgeRepository's ranked searches: rows matching the query best first, or the most recent rows when
-- nothing matches. The document expression must stay the one of the GIN indexes in 004.
CREATE FUNCTION public.triad_search_company_knowledge(p_company_slug text, p_query text, p_limit integer) RETURNS json
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  WITH q AS (SELECT plainto_tsquery('english', p_query) AS query),
  scoped AS (SELECT k.* FROM company_knowledge k WHERE k.company_id = (SELECT id FROM companies WHERE slug = p_company_slug)),
  matched AS (
    SELECT k.title, k.content, ts_rank(to_tsvector('english', k.title || ' ' || k.content), q.query) AS rank, k.created_at
      FROM scoped k, q
     WHERE to_tsvector('english', k.title || ' ' || k.content) @@ q.query
  ),
  found AS (
    (SELECT title, content, rank, created_at FROM matched ORDER BY rank DESC, created_at DESC LIMIT p_limit)
    UNION ALL
    (SELECT title, content, 0, created_at FROM scoped WHERE NOT EXISTS (SELECT 1 FROM matched)
      ORDER BY created_at DESC LIMIT p_limit)
  )
  SELECT coalesce(json_agg(json_build_object('title', title, 'content', content) ORDER BY rank DESC, created_at DESC), '[]'::json)
    FROM found
$$;

CREATE FUNCTION public.triad_search_cross_company_insights(p_query text, p_limit integer) RETURNS json
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  WITH q AS (SELECT plainto_tsquery('english', p_query) AS query),
  matched AS (
    SELECT k.title, k.content, ts_rank(to_tsvector('english', k.title || ' ' || k.content), q.query) AS rank, k.created_at
      FROM cross_company_insights k, q
     WHERE to_tsvector('english', k.title || ' ' || k.content) @@ q.query
  ),
  found AS (
    (SELECT title, content, rank, created_at FROM matched ORDER BY rank DESC, created_at DESC LIMIT p_limit)
    UNION ALL
    (SELECT title, content, 0, created_at FROM cross_company_insights WHERE NOT EXISTS (SELECT 1 FROM matched)
      ORDER BY created_at DESC LIMIT p_limit)
  )
  SELECT coalesce(json_agg(json_build_object('title', title, 'content', content) ORDER BY rank DESC, created_at DESC), '[]'::json)
    FROM found
$$;

REVOKE EXECUTE ON FUNCTION
  public.triad_session(),
  public.triad_record_requests(json, json),
  public.triad_save_feedback(uuid, uuid, uuid, smallint, smallint, text, text),
  public.triad_save_preference(uuid, uuid, text, uuid[], text, uuid),
  public.triad_save_space(uuid, text, text, text, boolean, text),
  public.triad_update_deployment(uuid, text, text),
  public.triad_set_feature_flag(text, text, text),
  public.triad_set_app_setting(text, text),
  public.triad_transcript(uuid, uuid),
  public.triad_search_company_knowledge(text, text, integer),
  public.triad_search_cross_company_insights(text, integer)
  FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION
  public.triad_session(),
  public.triad_record_requests(json, json),
  public.triad_save_feedback(uuid, uuid, uuid, smallint, smallint, text, text),
  public.triad_save_preference(uuid, uuid, text, uuid[], text, uuid),
  public.triad_save_space(uuid, text, text, text, boolean, text),
  public.triad_update_deployment(uuid, text, text),
  public.triad_set_feature_flag(text, text, text),
  public.triad_set_app_setting(text, text),
  public.triad_transcript(uuid, uuid),
  public.triad_search_company_knowledge(text, text, integer),
  public.triad_search_cross_company_insights(text, integer)
  TO authenticated, service_role;
