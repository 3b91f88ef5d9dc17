-- Team mode (issue 5), part 1: what a Supabase project already has, created here only where it is missing,
-- so that these migrations run unchanged on PGlite, a plain PostgreSQL and Supabase. On Supabase every
-- "create" below is skipped: the roles, the auth schema and auth.uid() belong to Supabase and must not be
-- replaced. The embedded app connects as the superuser (or the table owner), which row-level security does
-- not restrict, so nothing here changes how the embedded store behaves.

-- The roles of Supabase's API: anon (a request without a session), authenticated (a signed-in operator) and
-- service_role (server tooling, which bypasses row-level security). Roles belong to the whole server, not
-- to one database: two databases migrating at once may race to create one, and the loser's error is ignored.
DO $$
DECLARE
  api_role text;
BEGIN
  FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
    CONTINUE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = api_role);
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT%s', api_role, CASE WHEN api_role = 'service_role' THEN ' BYPASSRLS' ELSE '' END);
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'role % is missing and % may not create roles', api_role, current_user
          USING HINT = 'Run the migrations as a role with CREATEROLE (or as the superuser), or have a DBA create '
                       'the roles first: CREATE ROLE anon NOLOGIN; CREATE ROLE authenticated NOLOGIN; '
                       'CREATE ROLE service_role NOLOGIN BYPASSRLS;';
    END;
  END LOOP;
END $$;

-- auth.uid(): the signed-in operator's id, read from the JWT claims PostgREST puts into the transaction
-- (request.jwt.claims; request.jwt.claim.sub on PostgREST before 9). NULL without a session, and always
-- NULL for the embedded app, which never sets either.
DO $$
BEGIN
  IF to_regnamespace('auth') IS NULL THEN
    CREATE SCHEMA auth;
  END IF;
  IF to_regprocedure('auth.uid()') IS NULL THEN
    CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $fn$
      SELECT coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
      )::uuid
    $fn$;
    GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
    GRANT EXECUTE ON FUNCTION auth.uid() TO anon, authenticated, service_role;
  END IF;
END $$;

-- The operator's role and company memberships, the one source of truth for the model selector's permissions
-- and for the policies of 008. SECURITY DEFINER so that a policy on `users` can ask for the caller's role
-- without recursing into that policy; the empty search_path keeps a caller's objects out of them.

-- The signed-in operator's role ('analyst', 'ml_lead', 'admin'), NULL when they are not in `users`.
CREATE FUNCTION public.triad_role() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT u.role FROM public.users u WHERE u.id = auth.uid()
$$;

-- Whether the signed-in operator may see `company`: an admin sees every company, anyone else their own.
CREATE FUNCTION public.triad_can_see_company(company uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT EXISTS (SELECT 1 FROM public.users u WHERE u.id = auth.uid() AND u.role = 'admin')
      OR EXISTS (SELECT 1 FROM public.user_company_access a WHERE a.user_id = auth.uid() AND a.company_id = company)
$$;

-- New functions are executable by PUBLIC (so by anon); these are for signed-in operators only.
REVOKE EXECUTE ON FUNCTION public.triad_role(), public.triad_can_see_company(uuid) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.triad_role(), public.triad_can_see_company(uuid) TO authenticated, service_role;
