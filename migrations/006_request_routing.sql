-- How each request was routed: every target tried (served, failed or skipped, and why), and whether the
-- answer came from the response cache. Both are shown again in the UI and read by the gateway benchmarks.

ALTER TABLE llm_requests ADD COLUMN route_attempts JSONB NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE llm_requests ADD COLUMN cache_hit BOOLEAN NOT NULL DEFAULT false;
