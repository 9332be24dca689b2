/**
 * The EMR on EKS job runs the dispatcher starts: one `convert` run per announced manifest and one
 * `maintain` run per table on schedule. Pure, so the request shapes are tested without AWS.
 */
import type { StartJobRunCommandInput } from "@aws-sdk/client-emr-containers";
import type { ManifestAnnouncement } from "../manifest/queue";

/** Where the jobs run and what they read; the Processing component sets these as the function's environment. */
export interface JobSettings {
  virtualClusterId: string;
  executionRoleArn: string;
  /** EMR release, e.g. "emr-7.9.0-latest": Spark 3.5 with Iceberg and the Hive client. */
  releaseLabel: string;
  /** `s3://…/main.py`, the PySpark entry point, keyed by content hash. */
  entryPoint: string;
  /** `s3://…/loglake_spark.zip`, the jobs package, keyed by content hash. */
  pyFiles: string;
  driverPodTemplate: string;
  executorPodTemplate: string;
  /** `thrift://…:9083`, the Hive metastore service in the cluster. */
  metastoreUri: string;
  /** `s3a://<lake bucket>/warehouse`. */
  warehouse: string;
  /** CloudWatch log group of the job runs' driver and executor logs. */
  logGroupName: string;
  executorInstances: number;
  /** Attempts EMR makes of one run before it is failed. */
  maxAttempts: number;
}

/**
 * Where a run's Spark metrics are served, in Prometheus's text format, by the driver's UI: the
 * PrometheusServlet sink for the driver's own metrics, and the executors' metrics as the driver
 * collects them (`spark.ui.prometheus.enabled`), so a scraper reaches the driver only and never the
 * Spot executors. The fixed namespace replaces the application id Spark otherwise puts in every metric
 * name (`metrics_<namespace>_driver_...`), so dashboards query one name across runs.
 */
export const sparkMetrics = {
  uiPort: 4040,
  driverPath: "/metrics/prometheus",
  executorsPath: "/metrics/executors/prometheus",
  namespace: "loglake",
} as const;

/** EMR's own copy of the Iceberg runtime on its Spark images. */
const emrIcebergJars = "/usr/share/aws/iceberg/lib";

/** Job run names: 1 to 64 of letters, digits, `.`, `_` and `-`. */
export const jobName = (kind: string, subject: string, id: string) =>
  `${kind}-${subject.replace(/[^A-Za-z0-9._-]/g, "-")}`.slice(0, 64 - id.length - 1) + `-${id}`;

function jobRun(
  settings: JobSettings,
  name: string,
  clientToken: string,
  entryPointArguments: string[],
): StartJobRunCommandInput {
  const env = {
    LOGLAKE_CATALOG_TYPE: "hive",
    LOGLAKE_METASTORE_URI: settings.metastoreUri,
    LOGLAKE_WAREHOUSE: settings.warehouse,
    LOGLAKE_SPARK_JARS: emrIcebergJars,
  };
  const sparkDefaults: Record<string, string> = {
    "spark.kubernetes.driver.podTemplateFile": settings.driverPodTemplate,
    "spark.kubernetes.executor.podTemplateFile": settings.executorPodTemplate,
    "spark.executor.instances": String(settings.executorInstances),
    // Spot executors come and go: recompute lost shuffle output instead of failing the stage.
    "spark.decommission.enabled": "true",
    "spark.storage.decommission.enabled": "true",
    "spark.ui.port": String(sparkMetrics.uiPort),
    "spark.ui.prometheus.enabled": "true",
    "spark.metrics.namespace": sparkMetrics.namespace,
    "spark.metrics.conf.*.sink.prometheusServlet.class": "org.apache.spark.metrics.sink.PrometheusServlet",
    "spark.metrics.conf.*.sink.prometheusServlet.path": sparkMetrics.driverPath,
  };
  for (const [key, value] of Object.entries(env)) {
    sparkDefaults[`spark.kubernetes.driverEnv.${key}`] = value;
    sparkDefaults[`spark.executorEnv.${key}`] = value;
  }
  return {
    virtualClusterId: settings.virtualClusterId,
    name,
    clientToken,
    executionRoleArn: settings.executionRoleArn,
    releaseLabel: settings.releaseLabel,
    jobDriver: {
      sparkSubmitJobDriver: {
        entryPoint: settings.entryPoint,
        entryPointArguments,
        sparkSubmitParameters: `--py-files ${settings.pyFiles}`,
      },
    },
    configurationOverrides: {
      applicationConfiguration: [{ classification: "spark-defaults", properties: sparkDefaults }],
      monitoringConfiguration: {
        persistentAppUI: "ENABLED",
        cloudWatchMonitoringConfiguration: { logGroupName: settings.logGroupName, logStreamNamePrefix: name },
      },
    },
    retryPolicyConfiguration: { maxAttempts: settings.maxAttempts },
    tags: { "loglake:job": name.split("-")[0] },
  };
}

/** The s3a URI Spark reads an s3:// manifest URI as. */
const s3a = (uri: string) => uri.replace(/^s3:\/\//, "s3a://");

/**
 * One conversion per manifest. The manifest id is the client token, so a repeated announcement
 * (announcements are at least once) starts no second run.
 */
export function convertJobRun(announcement: ManifestAnnouncement, settings: JobSettings): StartJobRunCommandInput {
  const id = announcement.manifestId.slice(0, 16);
  return jobRun(settings, jobName("convert", announcement.dataset, id), announcement.manifestId.slice(0, 64), [
    "convert",
    "--manifest",
    s3a(announcement.manifestUri),
  ]);
}

/** One maintenance run per table and day; the day in the token lets the next day's run start. */
export function maintainJobRun(table: string, day: string, settings: JobSettings): StartJobRunCommandInput {
  const id = day.replace(/-/g, "");
  return jobRun(settings, jobName("maintain", table, id), `maintain-${table}-${day}`.slice(0, 64), [
    "maintain",
    "--table",
    table,
  ]);
}

/** Parses a manifest announcement, refusing a message that is not one. */
export function parseAnnouncement(body: string): ManifestAnnouncement {
  const value = JSON.parse(body) as Partial<ManifestAnnouncement>;
  for (const key of ["manifestId", "manifestUri", "dataset"] as const) {
    if (typeof value[key] !== "string" || value[key] === "") throw new Error(`not a manifest announcement: no ${key}`);
  }
  return value as ManifestAnnouncement;
}
