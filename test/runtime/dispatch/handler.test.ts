/**
 * The dispatcher's decisions, through its JobRuns port: no local peer speaks the EMR containers API,
 * so the tests hold the requests it makes and how it answers SQS; `emrJobRuns` is the thin adapter.
 */
import assert from "node:assert/strict";
import type { StartJobRunCommandInput } from "@aws-sdk/client-emr-containers";
import { createHandler, type DispatchRecords, type JobRuns, loadConfig } from "../../../runtime/dispatch/handler";
import { convertJobRun, maintainJobRun, sparkMetrics } from "../../../runtime/dispatch/job";
import { announcement } from "../jobstate/fixtures";
import { sqsRecord } from "../manifest/fixtures";

const env = {
  VIRTUAL_CLUSTER_ID: "vc0123456789abcdef",
  EXECUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/acme-spark-jobs",
  RELEASE_LABEL: "emr-7.9.0-latest",
  ENTRY_POINT: "s3://acme-lake/jobs/abc123/main.py",
  PY_FILES: "s3://acme-lake/jobs/abc123/loglake_spark.zip",
  DRIVER_POD_TEMPLATE: "s3://acme-lake/jobs/abc123/driver.yaml",
  EXECUTOR_POD_TEMPLATE: "s3://acme-lake/jobs/abc123/executor.yaml",
  METASTORE_URI: "thrift://hive-metastore.hive.svc.cluster.local:9083",
  WAREHOUSE: "s3a://acme-lake/warehouse",
  LOG_GROUP: "/loglake/acme/spark",
  MAX_CONCURRENT_RUNS: "2",
  TABLES: "logs.app, logs.audit",
  TRACKING_TABLE: "acme-tracking",
};
const config = loadConfig(env);

describe("Spark dispatcher", () => {
  /** Records every request; `refuse` makes EMR refuse to start runs. */
  const emr = { activeRuns: 0, refuse: false, started: [] as StartJobRunCommandInput[], counted: 0 };
  const runs: JobRuns = {
    async active() {
      emr.counted++;
      return emr.activeRuns;
    },
    async start(request) {
      if (emr.refuse) throw new Error("ValidationException");
      emr.started.push(request);
      return `run-${emr.started.length}`;
    },
  };
  const dispatched: [string, string][] = [];
  const records: DispatchRecords = {
    async dispatched(runName, a) {
      dispatched.push([runName, a.manifestId]);
    },
  };
  const logs: Record<string, unknown>[] = [];
  const handle = createHandler(config, runs, records, (e) => logs.push(e));
  beforeEach(() => {
    Object.assign(emr, { activeRuns: 0, refuse: false, started: [], counted: 0 });
    logs.length = 0;
    dispatched.length = 0;
  });

  it("refuses a configuration naming each bad variable and its value", () => {
    assert.throws(
      () => loadConfig({ ...env, METASTORE_URI: "http://hive:9083", RELEASE_LABEL: "7.9" }),
      (error: Error) =>
        /METASTORE_URI \("http:\/\/hive:9083"\)/.test(error.message) && /RELEASE_LABEL \("7\.9"\)/.test(error.message),
    );
  });

  it("starts one convert run per manifest, the manifest id as client token, the manifest read through s3a", async () => {
    const response = await handle({ Records: [sqsRecord("m1", JSON.stringify(announcement("a".repeat(64))))] });
    assert.deepEqual(response, { batchItemFailures: [] });
    const [input] = emr.started;
    assert.equal(input.clientToken, "a".repeat(64));
    assert.deepEqual(input.jobDriver?.sparkSubmitJobDriver?.entryPointArguments, [
      "convert",
      "--manifest",
      `s3a://acme-manifests/manifests/raw/app/dt=2026-11-21/hour=09/${"a".repeat(64)}.json`,
    ]);
    assert.ok(input.name!.length <= 64 && /^convert-raw-app-a{16}$/.test(input.name!), input.name);
    const defaults = input.configurationOverrides?.applicationConfiguration?.[0].properties ?? {};
    assert.equal(defaults["spark.kubernetes.driverEnv.LOGLAKE_METASTORE_URI"], env.METASTORE_URI);
    assert.equal(defaults["spark.executorEnv.LOGLAKE_WAREHOUSE"], env.WAREHOUSE);
    assert.equal(defaults["spark.kubernetes.executor.podTemplateFile"], env.EXECUTOR_POD_TEMPLATE);
    assert.deepEqual(input.retryPolicyConfiguration, { maxAttempts: 3 });
    assert.deepEqual(dispatched, [[input.name, "a".repeat(64)]], "the manifest is recorded under the run's name");
  });

  it("serves every run's driver and executor metrics from the driver's UI in Prometheus's format, under one metric namespace", () => {
    for (const input of [
      convertJobRun(announcement("b".repeat(64)), config.job),
      maintainJobRun("logs.app", "2026-11-21", config.job),
    ]) {
      const defaults = input.configurationOverrides?.applicationConfiguration?.[0].properties ?? {};
      assert.equal(defaults["spark.ui.port"], "4040");
      assert.equal(
        defaults["spark.ui.prometheus.enabled"],
        "true",
        "executor metrics at /metrics/executors/prometheus",
      );
      assert.equal(
        defaults["spark.metrics.conf.*.sink.prometheusServlet.class"],
        "org.apache.spark.metrics.sink.PrometheusServlet",
      );
      assert.equal(defaults["spark.metrics.conf.*.sink.prometheusServlet.path"], sparkMetrics.driverPath);
      assert.equal(defaults["spark.metrics.namespace"], "loglake");
    }
  });

  it("defers manifests beyond the concurrent-run cap to SQS instead of starting them", async () => {
    emr.activeRuns = 1;
    const response = await handle({
      Records: ["m1", "m2", "m3"].map((id) => sqsRecord(id, JSON.stringify(announcement(id.repeat(8))))),
    });
    assert.deepEqual(response, { batchItemFailures: [{ itemIdentifier: "m2" }, { itemIdentifier: "m3" }] });
    assert.equal(emr.started.length, 1);
    assert.equal(emr.counted, 1, "active runs are counted once per batch");
  });

  it("fails only the message that is no announcement or whose run EMR refuses", async () => {
    emr.refuse = true;
    const response = await handle({
      Records: [sqsRecord("bad", "{}"), sqsRecord("refused", JSON.stringify(announcement("b".repeat(20))))],
    });
    assert.deepEqual(response, { batchItemFailures: [{ itemIdentifier: "bad" }, { itemIdentifier: "refused" }] });
    assert.equal(dispatched.length, 1, "only the announcement is recorded, before EMR refuses its run");
    assert.ok(logs.some((e) => e.msg === "convert not started" && String(e.error).includes("no manifestId")));
  });

  it("starts one maintain run per table and day on schedule", async () => {
    assert.deepEqual(await handle({ job: "maintain", time: "2026-12-02T03:00:00Z" }), { started: 2 });
    const inputs = emr.started;
    assert.deepEqual(
      inputs.map((i) => [i.clientToken, i.jobDriver?.sparkSubmitJobDriver?.entryPointArguments]),
      [
        ["maintain-logs.app-2026-12-02", ["maintain", "--table", "logs.app"]],
        ["maintain-logs.audit-2026-12-02", ["maintain", "--table", "logs.audit"]],
      ],
    );
    assert.deepEqual(maintainJobRun("logs.app", "2026-12-02", config.job).name, "maintain-logs.app-20261202");
    assert.equal(convertJobRun(announcement("c".repeat(64)), config.job).tags?.["loglake:job"], "convert");
  });
});
