import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hiveRuntimeDir, loginRestartWindowSeconds } from "../../../runtime/hive/deployment";

// hive.sh's liveness check, run by bash as the image runs it, on login files like the CSI volume's.
describe("hive.sh login-current (the metastore's liveness probe)", () => {
  let dir: string;
  const loginDir = () => join(dir, "login");
  const restartDue = () => join(dir, "login-restart-due");
  const setLogin = (username: string, password: string) => {
    writeFileSync(join(loginDir(), "hive-username"), username);
    writeFileSync(join(loginDir(), "hive-password"), password);
  };
  const probe = (windowSeconds: number) =>
    spawnSync("bash", [join(hiveRuntimeDir, "hive.sh"), "login-current"], {
      env: {
        PATH: process.env.PATH,
        HIVE_LOGIN_DIR: loginDir(),
        HIVE_STATE_DIR: dir,
        HIVE_LOGIN_RESTART_WINDOW_SECONDS: String(windowSeconds),
      },
    }).status;
  const now = () => Math.floor(Date.now() / 1000);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "loglake-hive-sh-"));
    mkdirSync(loginDir());
    setLogin("hive", "first-generated-value");
    // What `hive.sh serve` records of the login it started with.
    spawnSync("bash", [
      "-c",
      'cat "$1/hive-username" "$1/hive-password" | sha256sum >"$2/login-at-start.sha256"',
      "_",
      loginDir(),
      dir,
    ]);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("passes while the secret still holds the login the service started with", () => {
    assert.equal(probe(loginRestartWindowSeconds), 0);
    assert.equal(probe(0), 0);
  });

  it("restarts at once on a rotated login when the window is 0", () => {
    setLogin("hive_clone", "second-generated-value");
    assert.equal(probe(0), 1);
  });

  it("after a rotation, picks one restart moment within the window and fails from that moment on", () => {
    setLogin("hive_clone", "second-generated-value");
    const before = now();
    const first = probe(loginRestartWindowSeconds);
    const due = Number(readFileSync(restartDue(), "utf8"));
    assert.ok(due >= before && due <= now() + loginRestartWindowSeconds, `restart due at ${due}, probed at ${before}`);
    assert.equal(first, now() < due ? 0 : 1, "the probe follows the moment it chose");

    writeFileSync(restartDue(), String(now() + 120));
    assert.equal(probe(loginRestartWindowSeconds), 0, "still serving with the previous, still valid login");
    writeFileSync(restartDue(), String(now() - 1));
    assert.equal(probe(loginRestartWindowSeconds), 1, "restarts once its moment has come");
  });

  it("keeps the window well inside Secrets Manager's shortest rotation schedule (one day)", () => {
    assert.ok(loginRestartWindowSeconds > 0 && loginRestartWindowSeconds <= 6 * 3600);
  });
});
