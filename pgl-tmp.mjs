import { PGlite } from '@electric-sql/pglite';
const db = new PGlite();
await db.exec(`
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF; END $$;
DO $$ BEGIN CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE SCHEMA IF NOT EXISTS auth;
CREATE TABLE t (id int primary key, owner text);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON t FOR SELECT TO anon USING (owner = current_setting('request.jwt.claims', true)::json->>'sub');
GRANT SELECT ON t TO anon;
CREATE FUNCTION f() RETURNS int LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS 'select count(*)::int from public.t';
REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;
`);
console.log((await db.query('select current_user, f()')).rows, (await db.query("select rolname from pg_roles where rolname in ('anon','service_role')")).rows);
