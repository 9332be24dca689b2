-- Run by bootstrap.sh as the RDS master login (CREATEROLE and CREATEDB, not a superuser), connected
-- to the postgres database, with psql variables database, owner, clone, login, set_password and
-- password_file. Every statement is idempotent: it creates what is missing or restates what is there.

-- The database (RDS creates it with the instance; a restore or another engine may not have).
SELECT format('CREATE DATABASE %I', :'database')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec

-- The owner login holds every metastore object. Neither login can create databases or roles.
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', :'owner')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
-- The rotation's second login, with no password until the first rotation sets one. The rotation
-- function only sets the password of a clone that exists, so its membership is granted here; every
-- session of it acts as the owner, so objects it creates (a schema upgrade) belong to the owner.
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', :'clone')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'clone') \gexec
GRANT :"owner" TO :"clone";
ALTER ROLE :"clone" SET role = :'owner';

\if :set_password
\set password `cat "$SECRETS_DIR/hive-password"`
ALTER ROLE :"login" PASSWORD :'password';
\unset password
\endif

-- Only the logins may connect; the master needs the owner's membership to hand it the schema.
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"owner";
GRANT :"owner" TO CURRENT_USER;

\connect :"database"
-- The metastore's tables live in a schema of the owner's, first on both logins' search path; public
-- stays closed to them.
CREATE SCHEMA IF NOT EXISTS :"owner" AUTHORIZATION :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER ROLE :"owner" IN DATABASE :"database" SET search_path = :"owner";
ALTER ROLE :"clone" IN DATABASE :"database" SET search_path = :"owner";
