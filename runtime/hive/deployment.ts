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

/** Files of this folder the Dockerfile copies (the tag hashes them with the Dockerfile). */
export const hiveImageFiles = ["hive-site.xml", "hive.sh"];

/** The files the bootstrap Job runs, mounted from a ConfigMap. */
export const bootstrapFiles = ["bootstrap.sh", "bootstrap.sql"];

/** The metastore's Thrift port (Hive's default). */
export const metastorePort = 9083;

/** The image's `hive` user; the pods run as it, given by number so Kubernetes can check it is not root. */
export const hiveUid = 1000;

/** Where the image keeps loglake's additions. */
export const hiveImagePaths = {
  entryPoint: "/opt/loglake/hive.sh",
  rdsCaBundle: "/opt/loglake/rds-global-bundle.pem",
} as const;
