-- Text the Company and Abstraction tiers add to a prompt when they run on a generic model, searched with
-- PostgreSQL full-text search (no extension needed, so it runs on PGlite, PostgreSQL and Supabase alike).

CREATE TABLE company_knowledge (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX company_knowledge_company_recent_idx ON company_knowledge (company_id, created_at DESC);
-- Queries must repeat this exact expression for the planner to use the index.
CREATE INDEX company_knowledge_search_idx
  ON company_knowledge USING GIN (to_tsvector('english', title || ' ' || content));

-- Anonymised patterns across companies: no company reference, by design.
CREATE TABLE cross_company_insights (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  sector TEXT,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  -- How many companies the insight was drawn from.
  sample_size INTEGER NOT NULL CONSTRAINT cross_company_insights_sample_size_not_negative CHECK (sample_size >= 0),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX cross_company_insights_recent_idx ON cross_company_insights (created_at DESC);
CREATE INDEX cross_company_insights_search_idx
  ON cross_company_insights USING GIN (to_tsvector('english', title || ' ' || content));
