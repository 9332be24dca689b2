import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { passwordSpecialCharacters } from "../../../components/metastore/engine";
import { PostgresPeer, startPostgres } from "../../../runtime/local/peers/postgres";
import { runBootstrap } from "./helpers";

/** A password as the rotation functions make them: letters, digits and every special character RDS allows. */
const newPassword = () => `${randomBytes(12).toString("base64url")}${passwordSpecialCharacters}`;

/** What psql reports of everything the bootstrap may touch, to compare runs. */
const catalogSnapshot = `
  SELECT string_agg(row, E'\\n' ORDER BY row) FROM (
    SELECT format('role %s super=%s createdb=%s createrole=%s login=%s password=%s', rolname, rolsuper,
                  rolcreatedb, rolcreaterole, rolcanlogin, rolpassword) AS row FROM pg_authid
    UNION ALL SELECT format('member %s of %s', m.member::regrole, m.roleid::regrole) FROM pg_auth_members m
    UNION ALL SELECT format('setting %s %s %s', setrole::regrole, setdatabase, setconfig) FROM pg_db_role_setting
    UNION ALL SELECT format('database %s %s', datname, datacl) FROM pg_database
  ) rows`;

describe("the metastore database bootstrap (runtime/hive/bootstrap.sh) against PostgreSQL", () => {
  let pg: PostgresPeer;
  let secrets: string;
  const master = { username: "metastore_admin", password: newPassword() };
  const hive = { username: "hive", password: newPassword() };

  const writeSecrets = (login: { username: string; password: string }) => {
    writeFileSync(join(secrets, "master-username"), master.username);
    writeFileSync(join(secrets, "master-password"), master.password);
    writeFileSync(join(secrets, "hive-username"), login.username);
    writeFileSync(join(secrets, "hive-password"), login.password);
  };
  const bootstrap = () => runBootstrap(pg, secrets);
  const asHive = (sql: string, login = hive) => pg.query(sql, login, "metastore");

  before(async () => {
    pg = await startPostgres();
    // As RDS makes them: a master with CREATEROLE and CREATEDB but no superuser, owning the database.
    await pg.query(`CREATE ROLE ${master.username} LOGIN CREATEROLE CREATEDB PASSWORD '${master.password}'`);
    await pg.query(`CREATE DATABASE metastore OWNER ${master.username}`);
    secrets = mkdtempSync(join(tmpdir(), "loglake-hive-secrets-"));
    writeSecrets(hive);
    await bootstrap();
  });
  after(async () => {
    rmSync(secrets, { recursive: true, force: true });
    await pg?.stop();
  });

  it("creates the Hive login with the secret's password and no power over roles or databases", async () => {
    assert.equal(await asHive("SELECT current_user"), "hive");
    assert.equal(
      await pg.query(
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = 'hive'",
      ),
      "f|f|f|f|f",
    );
    await assert.rejects(asHive("CREATE DATABASE other"), /permission denied/);
    await assert.rejects(asHive("CREATE ROLE other"), /permission denied/);
  });

  it("creates the rotation's clone login as a member of the Hive login, with no password yet", async () => {
    assert.equal(
      await pg.query("SELECT rolcanlogin, rolpassword IS NULL FROM pg_authid WHERE rolname = 'hive_clone'"),
      "t|t",
    );
    assert.equal(await pg.query("SELECT pg_has_role('hive_clone', 'hive', 'MEMBER')"), "t");
  });

  it("gives the Hive login its own schema, first on its search path, and keeps public closed", async () => {
    assert.equal(await asHive("SELECT current_schema()"), "hive");
    await asHive('CREATE TABLE "VERSION" ("VER_ID" bigint PRIMARY KEY)');
    assert.equal(
      await pg.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'VERSION'`, master, "metastore"),
      "hive",
    );
    await assert.rejects(asHive("CREATE TABLE public.stray (id int)"), /permission denied/);
  });

  it("lets no other login connect to the metastore database", async () => {
    const other = { username: "someone_else", password: newPassword() };
    await pg.query(`CREATE ROLE ${other.username} LOGIN PASSWORD '${other.password}'`);
    await assert.rejects(pg.query("SELECT 1", other, "metastore"), /permission denied for database/);
  });

  it("changes nothing when it runs again", async () => {
    const before = await pg.query(catalogSnapshot);
    await bootstrap();
    assert.equal(await pg.query(catalogSnapshot), before);
  });

  it("keeps working after the rotation switched the secret to the clone, whose sessions act as the Hive login", async () => {
    // What the alternating-users rotation function does: set the clone's password, then make it current.
    const clone = { username: "hive_clone", password: newPassword() };
    await pg.query(`ALTER USER hive_clone WITH PASSWORD '${clone.password}'`, master);
    writeSecrets(clone);
    const before = await pg.query(catalogSnapshot);
    await bootstrap();
    assert.equal(await pg.query(catalogSnapshot), before);
    assert.equal(
      await asHive("SELECT session_user || ' as ' || current_user || ' in ' || current_schema()", clone),
      "hive_clone as hive in hive",
    );
    await asHive('CREATE TABLE "DBS" ("DB_ID" bigint PRIMARY KEY)', clone);
    assert.equal(
      await pg.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'DBS'`, master, "metastore"),
      "hive",
    );
  });

  it("sets the secret's password when the login does not accept it (fresh secrets after a DR promotion)", async () => {
    const promoted = { username: "hive", password: newPassword() };
    writeSecrets(promoted);
    await assert.rejects(asHive("SELECT 1", promoted), /password authentication failed/);
    await bootstrap();
    assert.equal(await asHive("SELECT current_user", promoted), "hive");
  });
});
