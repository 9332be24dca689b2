/**
 * What the infrastructure needs to know about the Hive metastore image to build and run it
 * (components/workloads/hive-metastore.ts), exported once from beside the files it describes.
 */

/** This folder: the image's build context and the bootstrap Job's scripts. */
export const hiveRuntimeDir = __dirname;

/**
 * The Apache Hive release of the image (the Dockerfile's HIVE_VERSION). 3.1.3 is the newest Hive
 * metastore that Spark 3.5 (EMR 7's Spark, whose built-in Hive client is 2.3.9) lists as supported, and
 * the Hive EMR 7 itself ships. Hive 4.0.1's metastore dropped the `get_table` call that client and
 * Iceberg's HiveCatalog make (HIVE-26537; apache/iceberg#12878), so it cannot serve these jobs.
 */
export const hiveVersion = "3.1.3";

/**
 * The Hadoop inside apache/hive:3.1.3 (/opt/hadoop, HADOOP_HOME): Apache built that image with
 * Hive 3.1.3's own hadoop.version, and its share/hadoop/tools/lib holds hadoop-aws-3.1.0 with the
 * aws-java-sdk-bundle 1.11.271 it was built against, which is off the classpath and predates web
 * identity (IRSA) credentials. The image runs Java 8 (openjdk:8-jre-slim).
 */
export const hadoopVersion = "3.1.0";

/** A jar from Maven Central that the Dockerfile adds to /opt/hive/lib, its build fails on another checksum. */
export interface PinnedJar {
  /** Prefix of its two build arguments, <arg>_VERSION and <arg>_SHA256. */
  arg: string;
  group: string;
  artifact: string;
  version: string;
  /** SHA-256 of the jar, computed from Maven Central's file (which publishes only SHA-1). */
  sha256: string;
}

/**
 * What the image adds for S3 and for Prometheus: S3A of the image's own Hadoop (a jar of another
 * Hadoop line fails against hadoop-common 3.1.0), an AWS SDK v1 bundle new enough for
 * WebIdentityTokenCredentialsProvider, and the JMX exporter agent. The SDK is the Spark jobs' own
 * (runtime/spark/jars.txt, Hadoop 3.3.4's): 1.12.x keeps the 1.11 API that hadoop-aws 3.1.0 calls, the
 * metastore test runs that pair against S3, and 1.12.261+ has the TransferManager path fix
 * (CVE-2022-31159). The agent (Java 8 bytecode) serves the metastore's metrics on `metastoreMetricsPort`.
 */
export const hiveImageJars = {
  hadoopAws: {
    arg: "HADOOP_AWS",
    group: "org.apache.hadoop",
    artifact: "hadoop-aws",
    version: hadoopVersion,
    sha256: "a18508b9348af095ea41301e439354dbd449e304ac44c6885b2b4fe78de88126",
  },
  awsSdkBundle: {
    arg: "AWS_SDK_BUNDLE",
    group: "com.amazonaws",
    artifact: "aws-java-sdk-bundle",
    version: "1.12.262",
    sha256: "873fe7cf495126619997bec21c44de5d992544aea7e632fdc77adb1a0915bae5",
  },
  jmxExporter: {
    arg: "JMX_EXPORTER",
    group: "io.prometheus.jmx",
    artifact: "jmx_prometheus_javaagent",
    version: "1.0.1",
    sha256: "7d61f737fd661610ccc14aea79764faa1ea94a340cbc8f0029b3d2edea3d80c1",
  },
} as const satisfies Record<string, PinnedJar>;

/** The Dockerfile's build arguments: the version and checksum of every jar it adds. */
export const hiveImageBuildArgs: Record<string, string> = Object.fromEntries(
  Object.values(hiveImageJars).flatMap((jar: PinnedJar) => [
    [`${jar.arg}_VERSION`, jar.version],
    [`${jar.arg}_SHA256`, jar.sha256],
  ]),
);

/**
 * The credentials provider S3A uses (hive-site.xml): the SDK's own, which reads the token file and role
 * that the EKS pod identity webhook puts in the pod's environment.
 */
export const s3aCredentialsProvider = "com.amazonaws.auth.WebIdentityTokenCredentialsProvider";

/** Files of this folder the Dockerfile copies (the tag hashes them with the Dockerfile). */
export const hiveImageFiles = ["hive-site.xml", "hive.sh", "jmx-exporter.yaml"];

/** The files the bootstrap Job runs, mounted from a ConfigMap. */
export const bootstrapFiles = ["bootstrap.sh", "bootstrap.sql"];

/** The metastore's Thrift port (Hive's default). */
export const metastorePort = 9083;

/** Where the JMX exporter agent serves the metastore's and its JVM's metrics, at /metrics. */
export const metastoreMetricsPort = 9084;

/**
 * How long after it sees a rotated login a metastore replica may keep serving with the previous one
 * (hive.sh's HIVE_LOGIN_RESTART_WINDOW_SECONDS): each replica restarts at a random moment within it,
 * so the replicas do not restart together. The alternating-users rotation keeps the previous login
 * valid until the next rotation, at least a day later (Secrets Manager's shortest schedule).
 */
export const loginRestartWindowSeconds = 3600;

/** The image's `hive` user; the pods run as it, given by number so Kubernetes can check it is not root. */
export const hiveUid = 1000;

/** Where the image keeps loglake's additions. */
export const hiveImagePaths = {
  entryPoint: "/opt/loglake/hive.sh",
  rdsCaBundle: "/opt/loglake/rds-global-bundle.pem",
} as const;
