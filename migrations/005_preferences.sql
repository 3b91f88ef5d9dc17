-- Preferences from Compare: one prompt answered by two or three tiers, and which answer the user preferred.
-- They are training signal (pairwise preference data), so they keep the request ids of every answer shown.

CREATE TABLE preferences (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  prompt TEXT NOT NULL,
  -- The answers compared, in the order they were shown. No foreign key on array elements exists in
  -- PostgreSQL; the application writes only ids of logged requests.
  request_ids UUID[] NOT NULL CONSTRAINT preferences_two_or_three_answers CHECK (cardinality(request_ids) BETWEEN 2 AND 3),
  verdict TEXT NOT NULL CONSTRAINT preferences_verdict_valid CHECK (verdict IN ('winner', 'tie', 'both_bad')),
  winner_request_id UUID,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT preferences_winner_shown CHECK (
    (verdict = 'winner' AND winner_request_id IS NOT NULL AND winner_request_id = ANY (request_ids))
    OR (verdict <> 'winner' AND winner_request_id IS NULL)
  )
);

CREATE INDEX preferences_user_idx ON preferences (user_id, created_at DESC);
