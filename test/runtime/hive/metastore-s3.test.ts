import * as assert from "node:assert/strict";
import { ChildProcess, execFile, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import {
  hadoopVersion,
  hiveImageJars,
  hiveRuntimeDir,
  hiveVersion,
  s3aCredentialsProvider,
} from "../../../runtime/hive/deployment";
import { mavenJars, missingJars } from "../../../runtime/local/peers/maven-jars";
import { freePort, waitForPort } from "../../../runtime/local/peers/ports";
import { PostgresPeer, startPostgres } from "../../../runtime/local/peers/postgres";
import { LocalS3, s3rverEnvironment, startS3 } from "../../../runtime/local/peers/s3";
import { hiveMetastorePolicy, PolicyDocument } from "../../../components/compute/policies";
import { runBootstrap } from "./helpers";
import { S3Call, startTlsFront } from "./tls-front";

const run = promisify(execFile);
/** Where .ci/bootstrap-hive put runtime/hive/test-classpath.txt's jars. */
const jarsDir = process.env.LOGLAKE_HIVE_JARS ?? join(__dirname, "../../../.venv-spark/hive-metastore-jars");
const classpathList = mavenJars(join(hiveRuntimeDir, "test-classpath.txt"), jarsDir);
const jarOf = (artifact: string) => {
  const jar = classpathList.find((j) => j.artifact === artifact);
  assert.ok(jar, `runtime/hive/test-classpath.txt lists ${artifact}`);
  return jar;
};
const sha256 = (file: string) =>
  new Promise<string>((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", reject);
  });

const lakeKeyArn = "arn:aws:kms:us-east-1:123456789012:key/lake";
const account = {
  accountId: "123456789012",
  callerArn: "arn:aws:iam::123456789012:user/test",
  partition: "aws",
  dnsSuffix: "amazonaws.com",
  reverseDnsPrefix: "com.amazonaws",
  region: "us-east-1",
};
const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
const list = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);

/** The IAM requests an S3 call is (path style): the action, the resource and s3:prefix if it has one. */
function iamRequests(call: S3Call): { action: string; resource: string; prefix?: string }[] {
  const [, bucket, ...rest] = call.path.split("/");
  const key = rest.join("/");
  if (call.method === "POST" && call.query.has("delete"))
    return [...call.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => ({
      action: "s3:DeleteObject",
      resource: `arn:aws:s3:::${bucket}/${m[1]}`,
    }));
  // HeadBucket and the listings: s3:ListBucket, with the prefix a listing names.
  if (!key)
    return [
      { action: "s3:ListBucket", resource: `arn:aws:s3:::${bucket}`, prefix: call.query.get("prefix") ?? undefined },
    ];
  const actions: Record<string, string> = {
    GET: "s3:GetObject",
    HEAD: "s3:GetObject",
    PUT: "s3:PutObject",
    DELETE: "s3:DeleteObject",
  };
  return [{ action: actions[call.method], resource: `arn:aws:s3:::${bucket}/${key}` }];
}

/** Whether an Allow statement of the policy grants the request, with the condition operators it uses read as IAM does. */
function allowed(policy: PolicyDocument, req: ReturnType<typeof iamRequests>[number]): boolean {
  const holds = (operator: string, values: string[]) => {
    if (operator === "Null") return values.includes(String(req.prefix === undefined));
    if (operator === "StringLike")
      return req.prefix !== undefined && values.some((v) => glob(v).test(req.prefix as string));
    throw new Error(`the evaluator does not know ${operator}`);
  };
  return policy.Statement.some(
    (s) =>
      s.Effect === "Allow" &&
      list(s.Action as string | string[]).includes(req.action) &&
      list(s.Resource as string | string[]).some((r) => glob(r).test(req.resource)) &&
      Object.entries((s.Condition ?? {}) as Record<string, Record<string, string | string[]>>).every(
        ([operator, keys]) =>
          Object.entries(keys).every(([key, values]) => key === "s3:prefix" && holds(operator, list(values))),
      ),
  );
}

describe("the image's jars (runtime/hive/deployment.ts)", () => {
  before(() => {
    assert.deepEqual(missingJars(classpathList), [], `jars missing from ${jarsDir}: run .ci/bootstrap-hive`);
  });

  it("are the ones the Dockerfile's checksums pin, S3A at the image's own Hadoop", async () => {
    assert.equal(hiveImageJars.hadoopAws.version, hadoopVersion);
    assert.equal(jarOf("hadoop-common").version, hadoopVersion, "the test runs on the image's Hadoop");
    assert.equal(jarOf("hive-standalone-metastore").version, hiveVersion);
    for (const pinned of Object.values(hiveImageJars)) {
      const jar = jarOf(pinned.artifact);
      assert.equal(jar.version, pinned.version, `${pinned.artifact}: the test runs the image's version`);
      assert.equal(
        await sha256(jar.file),
        pinned.sha256,
        `${pinned.artifact}: Maven Central's jar has the pinned SHA-256`,
      );
    }
  });

  it("carry the credentials provider hive-site.xml names, with the public no-argument constructor S3A 3.1 calls", async () => {
    const site = readFileSync(join(hiveRuntimeDir, "hive-site.xml"), "utf8");
    assert.match(
      site,
      new RegExp(`<name>fs.s3a.aws.credentials.provider</name>\\s*<value>${s3aCredentialsProvider}</value>`),
    );
    const { stdout } = await run("javap", ["-cp", jarOf("aws-java-sdk-bundle").file, s3aCredentialsProvider]);
    assert.match(stdout, new RegExp(`public ${s3aCredentialsProvider.replace(/\./g, "\\.")}\\(\\);`));
    assert.match(stdout, /implements com\.amazonaws\.auth\.AWSCredentialsProvider/);
  });
});

/**
 * Hive 3.1.3's metastore (the standalone jar, the same HiveMetaStore the image's full Hive runs) on
 * Hadoop 3.1.0 with the image's hive-site.xml, jars and exporter rules, against Debian's PostgreSQL
 * and s3rver behind TLS. What differs from the pod, as --hiveconf overrides: the loopback S3 (path
 * style, s3rver's keys instead of IRSA), the
 * schema (DataNucleus creates it instead of the schema Job's schematool, whose scripts ship only in
 * Hive's tarball), and two classes of hive-exec the standalone jar lacks.
 */
describe("the Hive 3.1.3 metastore with the image's S3A configuration, against PostgreSQL and S3", function () {
  this.timeout(180_000);
  let pg: PostgresPeer;
  let s3: LocalS3;
  let metastore: ChildProcess;
  let output = "";
  let secrets: string;
  let thriftPort: number;
  let front: Awaited<ReturnType<typeof startTlsFront>>;
  let metricsPort: number;

  before(async () => {
    assert.deepEqual(missingJars(classpathList), [], `jars missing from ${jarsDir}: run .ci/bootstrap-hive`);
    [pg, s3] = await Promise.all([startPostgres(), startS3()]);
    await s3.createBucket("lake");
    front = await startTlsFront(s3.endpoint, (secrets = mkdtempSync(join(tmpdir(), "loglake-hive-"))));
    // The login and database as the bootstrap Job makes them on RDS.
    const master = { username: "metastore_admin", password: randomBytes(18).toString("base64url") };
    const hive = { username: "hive", password: randomBytes(18).toString("base64url") };
    await pg.query(`CREATE ROLE ${master.username} LOGIN CREATEROLE CREATEDB PASSWORD '${master.password}'`);
    await pg.query(`CREATE DATABASE metastore OWNER ${master.username}`);
    for (const [file, value] of Object.entries({
      "master-username": master.username,
      "master-password": master.password,
      "hive-username": hive.username,
      "hive-password": hive.password,
    }))
      writeFileSync(join(secrets, file), value);
    await runBootstrap(pg, secrets);

    [thriftPort, metricsPort] = [await freePort(), await freePort()];
    const hiveconf = {
      "metastore.expression.proxy": "org.apache.hadoop.hive.metastore.DefaultPartitionExpressionProxy",
      "metastore.task.threads.always": "org.apache.hadoop.hive.metastore.events.EventCleanerTask",
      "datanucleus.schema.autoCreateAll": "true",
      "metastore.schema.verification": "false",
      "fs.s3a.path.style.access": "true",
      "fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
      "fs.s3a.access.key": s3rverEnvironment.AWS_ACCESS_KEY_ID,
      "fs.s3a.secret.key": s3rverEnvironment.AWS_SECRET_ACCESS_KEY,
    };
    metastore = spawn(
      "java",
      [
        `-Djavax.net.ssl.trustStore=${front.trustStore}`,
        `-Djavax.net.ssl.trustStorePassword=${front.trustStorePassword}`,
        `-javaagent:${jarOf("jmx_prometheus_javaagent").file}=127.0.0.1:${metricsPort}:${join(hiveRuntimeDir, "jmx-exporter.yaml")}`,
        "-cp",
        // hiveRuntimeDir first: its hive-site.xml is the image's.
        [hiveRuntimeDir, ...classpathList.map((jar) => jar.file)].join(":"),
        "org.apache.hadoop.hive.metastore.HiveMetaStore",
        "-p",
        String(thriftPort),
        ...Object.entries(hiveconf).flatMap(([key, value]) => ["--hiveconf", `${key}=${value}`]),
      ],
      {
        env: {
          PATH: process.env.PATH,
          HIVE_JDBC_URL: `jdbc:postgresql://${pg.host}:${pg.port}/metastore`,
          HIVE_DB_USER: hive.username,
          HIVE_DB_PASSWORD: hive.password,
          HIVE_WAREHOUSE: "s3a://lake/warehouse",
          S3_ENDPOINT: front.endpoint,
          LAKE_KMS_KEY_ARN: lakeKeyArn,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    metastore.stdout?.on("data", (chunk) => (output += chunk));
    metastore.stderr?.on("data", (chunk) => (output += chunk));
    await waitForPort(thriftPort, 120_000, () => metastore.exitCode !== null).catch((error) => {
      throw new Error(`the metastore failed to start: ${error.message}:\n${output.slice(-4000)}`, { cause: error });
    });
  });

  after(async () => {
    if (metastore && metastore.exitCode === null) {
      const exited = new Promise((resolve) => metastore.once("exit", resolve));
      metastore.kill("SIGTERM");
      await exited;
    }
    if (secrets) rmSync(secrets, { recursive: true, force: true });
    await Promise.all([pg?.stop(), s3?.stop(), front?.close()]);
  });

  it("creates a database's directory marker in the bucket for CREATE NAMESPACE with an s3a:// location", async () => {
    const { stdout } = await run("java", [
      "-cp",
      classpathList.map((jar) => jar.file).join(":"),
      join(__dirname, "CreateDatabase.java"),
      `thrift://127.0.0.1:${thriftPort}`,
      "logs",
      "s3a://lake/warehouse/logs.db",
    ]);
    assert.equal(stdout.trim().split("\n").pop(), "s3a://lake/warehouse/logs.db");
    const listed = await s3.client().send(new ListObjectsV2Command({ Bucket: "lake", Prefix: "warehouse/" }));
    assert.deepEqual(
      listed.Contents?.map((object) => object.Key),
      ["warehouse/logs.db/"],
      `the metastore's S3A made the marker (metastore log:\n${output.slice(-3000)})`,
    );
  });

  it("writes the marker over TLS with SSE-KMS under the lake key, as the lake bucket's policy demands", () => {
    const puts = front.calls.filter((call) => call.method === "PUT");
    assert.deepEqual(
      puts.map((call) => call.path),
      ["/lake/warehouse/logs.db/"],
    );
    assert.equal(puts[0].headers["x-amz-server-side-encryption"], "aws:kms");
    assert.equal(puts[0].headers["x-amz-server-side-encryption-aws-kms-key-id"], lakeKeyArn);
  });

  it("asks of S3 only what the metastore role's policy grants, and is refused other prefixes", () => {
    const policy = hiveMetastorePolicy(
      { lakeBucketArn: "arn:aws:s3:::lake", warehousePrefix: "warehouse/", lakeKeyArn },
      account,
    );
    const requests = front.calls.flatMap(iamRequests);
    assert.ok(requests.length > 0, "the metastore called S3");
    assert.deepEqual(
      requests.filter((req) => !allowed(policy, req)),
      [],
      "requests the role would be denied",
    );
  });

  it("serves, on the exporter's port, every metastore series the Grafana dashboard queries", async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const served = new Set([...text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)].map((m) => m[1]));
    const dashboard = readFileSync(join(__dirname, "../../../components/workloads/dashboards/metastore.json"), "utf8");
    const queried = new Set(
      [...dashboard.matchAll(/([a-z_:][a-z0-9_:]*)\{[^}]*job=\\"hive-metastore\\"/g)]
        .map((m) => m[1])
        .filter((name) => name !== "up"),
    );
    assert.ok(queried.size > 0, "the dashboard queries the metastore's own series");
    assert.deepEqual(
      [...queried].filter((name) => !served.has(name)),
      [],
      "series the dashboard queries but nothing serves",
    );
    assert.match(text, /^hive_metastore_api_calls_total\{api="create_database"\} [1-9]/m);
    assert.match(text, /^hive_metastore_objects\{kind="dbs"\} [1-9]/m);
  });
});
