-- The review's full-text index, moved off the request log's write path. 011 indexed every message as it was
-- written (a GIN index on to_tsvector(content)): two thirds of what logging a request cost the embedded store,
-- about 400-700 us of PGlite CPU per request, which capped the request log at 1,000-2,000 entries/s.
--
-- Now a message's search document lives in message_search, written by a trigger on messages:
--   * on a server (PostgreSQL, Supabase) at once, in the writing statement, as before: the server's CPU;
--   * in the embedded store (PGlite, where the session sets triad.search_index = 'deferred') the message is only
--     noted in message_search_pending, and the app fills the index in batches while the log is idle
--     (triad_index_message_search, src-main/store/sql/message-search-indexer.ts).
-- A search reads message_search through its index, and the few messages still pending one by one, so it finds
-- a message the moment it is logged either way. Messages outside a request (none today) are not searched.

CREATE TABLE message_search (
  message_id UUID PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  request_id UUID NOT NULL,
  document TSVECTOR NOT NULL
);
CREATE INDEX message_search_document_idx ON message_search USING GIN (document);

-- No index and no foreign key: a note costs one heap row. A note of a message deleted since is dropped by the
-- indexer; the search joins messages, so it never finds one.
CREATE TABLE message_search_pending (
  message_id UUID NOT NULL
);

CREATE FUNCTION public.triad_note_messages_for_search() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF current_setting('triad.search_index', true) = 'deferred' THEN
    INSERT INTO message_search_pending (message_id) SELECT a.id FROM added a WHERE a.request_id IS NOT NULL;
  ELSE
    INSERT INTO message_search (message_id, request_id, document)
      SELECT a.id, a.request_id, to_tsvector('english', a.content) FROM added a WHERE a.request_id IS NOT NULL
      ON CONFLICT (message_id) DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER messages_noted_for_search AFTER INSERT ON messages
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION public.triad_note_messages_for_search();

-- Indexes up to p_limit pending messages in one statement (a search sees each either pending or indexed) and
-- returns how many notes it took: fewer than p_limit when none are left.
CREATE FUNCTION public.triad_index_message_search(p_limit integer) RETURNS integer
  LANGUAGE sql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  WITH batch AS (
    DELETE FROM message_search_pending WHERE ctid = ANY (ARRAY(SELECT ctid FROM message_search_pending LIMIT p_limit))
    RETURNING message_id
  ), indexed AS (
    INSERT INTO message_search (message_id, request_id, document)
    SELECT m.id, m.request_id, to_tsvector('english', m.content) FROM messages m WHERE m.id IN (SELECT message_id FROM batch)
    ON CONFLICT (message_id) DO NOTHING
    RETURNING 1
  )
  SELECT count(*)::integer FROM batch;
$$;

-- What was indexed before, moved over once.
INSERT INTO message_search (message_id, request_id, document)
  SELECT id, request_id, to_tsvector('english', content) FROM messages WHERE request_id IS NOT NULL;
DROP INDEX messages_content_fts_idx;

-- Privileges and row-level security as in 008: an operator searches the messages of the requests they may read.
-- Only the trigger (as the owner) writes either table, and only the owner runs the indexer.
REVOKE ALL ON message_search, message_search_pending FROM anon, authenticated;
GRANT ALL ON message_search, message_search_pending TO service_role;
GRANT SELECT ON message_search, message_search_pending TO authenticated;
ALTER TABLE message_search ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_search_pending ENABLE ROW LEVEL SECURITY;
CREATE POLICY message_search_read_with_request ON message_search FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM llm_requests r WHERE r.id = message_search.request_id));
CREATE POLICY message_search_pending_read_with_message ON message_search_pending FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM messages m WHERE m.id = message_search_pending.message_id));
REVOKE EXECUTE ON FUNCTION public.triad_index_message_search(integer), public.triad_note_messages_for_search() FROM PUBLIC, anon, authenticated;

-- The review table's text condition, now over message_search; the rest as in 011.
CREATE OR REPLACE FUNCTION public.triad_review_conditions(p_filter jsonb, p_scope jsonb) RETURNS text
  LANGUAGE plpgsql IMMUTABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  -- Reviewable: the requests that answered, whole or until cancelled (an error or a refusal has no answer to judge).
  conditions text[] := ARRAY['r.status IN (''ok'', ''aborted'')'];
  feedback_on text := 'SELECT 1 FROM feedback f WHERE f.request_id = r.id AND ';
BEGIN
  IF p_filter ->> 'tier' IS NOT NULL THEN conditions := array_append(conditions, 'r.tier = $1 ->> ''tier'''); END IF;
  IF p_filter ->> 'modelVersion' IS NOT NULL THEN conditions := array_append(conditions, 'r.model_version = $1 ->> ''modelVersion'''); END IF;
  IF p_filter ->> 'company' IS NOT NULL THEN conditions := array_append(conditions, 'c.slug = $1 ->> ''company'''); END IF;
  CASE p_filter ->> 'thumbs'
    WHEN 'up' THEN conditions := array_append(conditions, ('EXISTS (' || feedback_on || 'f.thumbs = 1)'));
    WHEN 'down' THEN conditions := array_append(conditions, ('EXISTS (' || feedback_on || 'f.thumbs = -1)'));
    WHEN 'none' THEN conditions := array_append(conditions, ('NOT EXISTS (' || feedback_on || 'f.thumbs IS NOT NULL)'));
    ELSE NULL;
  END CASE;
  IF p_filter -> 'rating' IS NOT NULL AND jsonb_typeof(p_filter -> 'rating') = 'object' THEN
    conditions := array_append(conditions, ('EXISTS (' || feedback_on ||
      'f.rating BETWEEN coalesce(($1 -> ''rating'' ->> ''min'')::int, 1) AND coalesce(($1 -> ''rating'' ->> ''max'')::int, 5))'));
  END IF;
  IF p_filter ->> 'hasComment' IS NOT NULL THEN
    conditions := array_append(conditions, (CASE WHEN (p_filter ->> 'hasComment')::boolean THEN 'EXISTS (' ELSE 'NOT EXISTS (' END
      || feedback_on || 'btrim(f.comment) <> '''')'));
  END IF;
  IF p_filter ->> 'hasCorrection' IS NOT NULL THEN
    conditions := array_append(conditions, (CASE WHEN (p_filter ->> 'hasCorrection')::boolean THEN '' ELSE 'NOT ' END
      || '(EXISTS (' || feedback_on || 'btrim(f.corrected_answer) <> '''') OR coalesce(btrim(l.corrected_answer), '''') <> '''')'));
  END IF;
  IF jsonb_typeof(p_filter -> 'labels') = 'array' AND jsonb_array_length(p_filter -> 'labels') > 0 THEN
    conditions := array_append(conditions, '(l.label IN (SELECT jsonb_array_elements_text($1 -> ''labels'')) OR (l.label IS NULL AND $1 -> ''labels'' ? ''unlabelled''))');
  END IF;
  IF p_filter ->> 'dateFrom' IS NOT NULL THEN conditions := array_append(conditions, 'r.created_at >= ($1 ->> ''dateFrom'')::timestamptz'); END IF;
  IF p_filter ->> 'dateTo' IS NOT NULL THEN conditions := array_append(conditions, 'r.created_at < ($1 ->> ''dateTo'')::timestamptz'); END IF;
  IF coalesce(btrim(p_filter ->> 'text'), '') <> '' THEN
    -- The indexed messages through message_search's index, and those still waiting for it read one by one. Two INs
    -- joined by OR: each is run once and hashed (as one IN over a UNION ALL, the planner may run it again per row).
    conditions := array_append(conditions, '(r.id IN (SELECT s.request_id FROM message_search s WHERE s.document @@ websearch_to_tsquery(''english'', $1 ->> ''text'')) '
      || 'OR r.id IN (SELECT m.request_id FROM message_search_pending p JOIN messages m ON m.id = p.message_id '
      || 'WHERE to_tsvector(''english'', m.content) @@ websearch_to_tsquery(''english'', $1 ->> ''text'')))');
  END IF;
  IF p_scope IS NOT NULL THEN
    conditions := array_append(conditions, ('(r.user_id = ($2 ->> ''userId'')::uuid OR EXISTS (SELECT 1 FROM triad_local.review_scope s '
      || 'WHERE s.project = $2 ->> ''project'' AND s.user_id = ($2 ->> ''userId'')::uuid AND s.request_id = r.id))'));
  END IF;
  RETURN array_to_string(conditions, ' AND ');
END
$$;
