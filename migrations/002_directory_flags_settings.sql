-- Who may see what: companies, operators and the companies each operator may see; plus the two key/value
-- stores for feature flags and application settings.

CREATE TABLE companies (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Same shape as the slug a chat request may name (src-shared/chat.ts), so every stored company can be asked about.
  slug TEXT NOT NULL CONSTRAINT companies_slug_unique UNIQUE
    CONSTRAINT companies_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  display_name TEXT NOT NULL,
  -- Optional: local desktop operators may have none. UNIQUE still allows many NULLs.
  email TEXT CONSTRAINT users_email_unique UNIQUE,
  role TEXT NOT NULL CONSTRAINT users_role_valid CHECK (role IN ('analyst', 'ml_lead', 'admin')),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE user_company_access (
  user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  company_id UUID NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, company_id)
);
-- The primary key serves "companies of a user"; this serves "users of a company".
CREATE INDEX user_company_access_company_idx ON user_company_access (company_id);

CREATE TABLE feature_flags (
  key TEXT PRIMARY KEY CONSTRAINT feature_flags_key_not_empty CHECK (key <> ''),
  -- Any JSON: the flag service decides what a value means.
  value JSONB NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- Free text rather than a reference to users: flags are also set by scripts and by the CLI.
  updated_by TEXT
);

CREATE TABLE app_settings (
  key TEXT PRIMARY KEY CONSTRAINT app_settings_key_not_empty CHECK (key <> ''),
  value JSONB NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
