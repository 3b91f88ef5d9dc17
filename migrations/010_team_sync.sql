-- Team mode (issue 5), part 4: what the app keeps on this computer for a team project (the offline outbox and the
-- values it last read), and the function that replays a feedback edit made offline.

-- The outbox and the last-read values live in the local copy (the embedded PGlite) beside the data they belong
-- to, so that a write and its outbox entry commit in one local transaction. They are created by a migration like
-- every other table, so they are versioned with the schema; in a schema of their own because they are the app's
-- bookkeeping, not Triad's data model (the `public` schema, which PostgREST exposes). On a Supabase project the
-- schema exists too but is never used: no API role has USAGE on it, and row-level security without any policy or
-- grant refuses every row even where a privilege might later be granted by mistake.
CREATE SCHEMA triad_local;
REVOKE ALL ON SCHEMA triad_local FROM PUBLIC;

-- Writes made in team mode, in the order they were made, until Supabase has them. `project` (the Supabase URL)
-- and `user_id` (the operator who made the write) say who may send them: only that operator, signed in to that
-- project. A write the server refuses for good is kept, set aside with its reason, and never sent again.
CREATE TABLE triad_local.outbox (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project TEXT NOT NULL,
  user_id UUID NOT NULL,
  kind TEXT NOT NULL CONSTRAINT outbox_kind_valid CHECK (kind IN ('request', 'conversation', 'feedback', 'preference')),
  payload JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  refused_at TIMESTAMPTZ,
  refused_reason TEXT
);
CREATE INDEX outbox_waiting_idx ON triad_local.outbox (project, user_id, seq) WHERE refused_at IS NULL;

-- Per project and operator: what was last read from Supabase (the directory, flags, settings, Spaces), served
-- while it cannot be reached, and the settings that belong to this computer (the company context).
CREATE TABLE triad_local.team_values (
  project TEXT NOT NULL,
  user_id UUID NOT NULL,
  key TEXT NOT NULL,
  value JSONB NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (project, user_id, key)
);

ALTER TABLE triad_local.outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE triad_local.team_values ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON triad_local.outbox, triad_local.team_values FROM PUBLIC, anon, authenticated, service_role;

-- A feedback edit replayed from the outbox: the later `updated_at` wins. The edit carries the time it was made on
-- the operator's computer; a row already changed later (from another computer) is left as it is, so replaying an
-- old edit, or the same edit twice, changes nothing. Returns the row as it now is.
CREATE FUNCTION public.triad_sync_feedback(
  p_id uuid, p_request_id uuid, p_user_id uuid, p_thumbs smallint, p_rating smallint, p_comment text,
  p_corrected_answer text, p_created_at timestamptz, p_updated_at timestamptz
) RETURNS feedback
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  saved feedback;
BEGIN
  INSERT INTO feedback AS f (id, request_id, user_id, thumbs, rating, comment, corrected_answer, created_at, updated_at)
  VALUES (p_id, p_request_id, p_user_id, p_thumbs, p_rating, p_comment, p_corrected_answer, p_created_at, p_updated_at)
  ON CONFLICT (request_id, user_id) DO UPDATE SET
    thumbs = EXCLUDED.thumbs, rating = EXCLUDED.rating, comment = EXCLUDED.comment,
    corrected_answer = EXCLUDED.corrected_answer, updated_at = EXCLUDED.updated_at
  WHERE f.updated_at < EXCLUDED.updated_at
  RETURNING * INTO saved;
  IF saved.id IS NULL THEN
    SELECT * INTO saved FROM feedback WHERE request_id = p_request_id AND user_id = p_user_id;
  END IF;
  RETURN saved;
END
$$;

REVOKE EXECUTE ON FUNCTION public.triad_sync_feedback(uuid, uuid, uuid, smallint, smallint, text, text, timestamptz, timestamptz) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.triad_sync_feedback(uuid, uuid, uuid, smallint, smallint, text, text, timestamptz, timestamptz) TO authenticated, service_role;

-- The adapter needs triad_sync_feedback: the API version goes to 10. CREATE OR REPLACE keeps the privileges of 009.
CREATE OR REPLACE FUNCTION public.triad_session() RETURNS json
  LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  SELECT json_build_object('api_version', 10, 'user_id', auth.uid(), 'role', triad_role())
$$;
