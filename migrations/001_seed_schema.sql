-- Seed schema from the architecture document ("Database Schema Extensions"): the model registry and the
-- Hugging Face Spaces that serve the tiers. IF NOT EXISTS is kept from the seed so this file also runs on a
-- database (e.g. an existing Supabase project) that already has these tables.

CREATE TABLE IF NOT EXISTS model_registry (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  -- NULL for a model not (yet) assigned to a tier.
  tier TEXT CONSTRAINT model_registry_tier_valid CHECK (tier IN ('base', 'company', 'abstraction')),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  -- Registering the same version of a model twice is a mistake, not a second model.
  CONSTRAINT model_registry_name_version_unique UNIQUE (name, version)
);

-- Add Hugging Face specific columns to model_registry
ALTER TABLE model_registry ADD COLUMN IF NOT EXISTS hf_space_url TEXT;
ALTER TABLE model_registry ADD COLUMN IF NOT EXISTS hf_model_id TEXT;
ALTER TABLE model_registry ADD COLUMN IF NOT EXISTS hf_space_id TEXT;

-- Add a new table for Space configurations
CREATE TABLE IF NOT EXISTS hf_spaces_config (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  space_name TEXT NOT NULL,
  space_type TEXT NOT NULL, -- 'base', 'company', 'abstraction'
  api_endpoint TEXT NOT NULL,
  is_active BOOLEAN DEFAULT TRUE,
  model_version TEXT,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
  CONSTRAINT hf_spaces_config_space_type_valid CHECK (space_type IN ('base', 'company', 'abstraction'))
);

-- Table for tracking Space deployments
CREATE TABLE IF NOT EXISTS hf_deployments (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  space_id UUID REFERENCES hf_spaces_config(id),
  model_id UUID REFERENCES model_registry(id),
  deployment_status TEXT NOT NULL,
  deployment_logs TEXT,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT now()
);

-- "The active Space for a tier" is asked on every routed request.
CREATE INDEX IF NOT EXISTS hf_spaces_config_active_by_type_idx
  ON hf_spaces_config (space_type, updated_at DESC) WHERE is_active;
CREATE INDEX IF NOT EXISTS hf_deployments_space_idx ON hf_deployments (space_id, created_at DESC);
