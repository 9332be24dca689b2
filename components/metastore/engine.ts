/**
 * What the Hive metastore database may be: PostgreSQL versions, the parameter group it runs with, the
 * credentials' shape, and the checks on its sizing. Pure code, shared by the `Metastore` component
 * and the `metastore` config section so both refuse the same things with the same words.
 */

/**
 * PostgreSQL majors that both RDS and the Hive metastore (3.1.3, runtime/hive/deployment.ts) support,
 * with their parameter-group family. Hive's schema scripts (`hive-schema-3.1.0.postgres.sql`) use plain
 * SQL that runs on every current PostgreSQL; 18 is left out until the Hive project tests it (PostgreSQL
 * 18 also turned `log_connections` from a boolean into a list).
 */
import { Problem } from "../shared/problems";

export const engineFamilies = { "16": "postgres16", "17": "postgres17" } as const;
export type EngineMajor = keyof typeof engineFamilies;

/**
 * Default engine version: RDS for PostgreSQL 17.7 (AWS's automatic-upgrade target for 17.x in its
 * May 2026 deprecation of 17.1-17.4).
 */
export const defaultEngineVersion = "17.7";

export interface EngineVersion {
  major: EngineMajor;
  /** Parameter-group family, e.g. "postgres17". */
  family: (typeof engineFamilies)[EngineMajor];
  /**
   * A "major.minor" version is pinned: RDS must not move it (a minor upgrade would show as a diff
   * that tries to downgrade), so automatic minor upgrades are off. A bare major lets RDS pick the
   * minor and apply new ones in the maintenance window.
   */
  pinned: boolean;
}

/** "17.7" → { major: "17", family: "postgres17", pinned: true }; undefined for anything else. */
export function parseEngineVersion(version: string): EngineVersion | undefined {
  const match = /^(\d+)(\.\d+)?$/.exec(version);
  if (!match || !(match[1] in engineFamilies)) return undefined;
  const major = match[1] as EngineMajor;
  return { major, family: engineFamilies[major], pinned: match[2] !== undefined };
}

/**
 * Parameters that PostgreSQL reads only at server start (pg_settings.context = 'postmaster'); RDS
 * calls them static and refuses to apply them any other way than `pending-reboot`.
 */
export const staticParameters = ["shared_preload_libraries", "max_connections"] as const;

export interface DbParameter {
  name: string;
  value: string;
  applyMethod: "immediate" | "pending-reboot";
}

/**
 * The metastore's parameter group. Every name exists in the postgres16 and postgres17 families
 * (`rds.force_ssl` is RDS's own; the rest are PostgreSQL's and are checked against a real server in
 * the tests).
 */
export function metastoreParameters(maxConnections: number): DbParameter[] {
  const values: Record<string, string> = {
    // Clients (Hive metastore pods, the rotation functions) must use TLS.
    "rds.force_ssl": "1",
    // Metastore calls are short; anything above 2 s is worth a look.
    log_min_duration_statement: "2000",
    shared_preload_libraries: "pg_stat_statements",
    // Every Spark job's metastore client and every metastore pod's connection pool lands here.
    max_connections: String(maxConnections),
    // A metastore client that dies inside a transaction holds Hive's locks until this cuts it (10 min).
    idle_in_transaction_session_timeout: "600000",
    log_connections: "1",
    log_disconnections: "1",
    // Lock waits longer than deadlock_timeout are how metastore contention shows itself.
    log_lock_waits: "1",
  };
  return Object.entries(values).map(([name, value]) => ({
    name,
    value,
    applyMethod: (staticParameters as readonly string[]).includes(name) ? "pending-reboot" : "immediate",
  }));
}

/**
 * Special characters of generated passwords: RDS refuses `/`, `@`, `"` and space in a master
 * password, and AWS's rotation functions leave out `:`, `'` and `\` as well, so the first password
 * looks like every later one.
 */
export const passwordSpecialCharacters = "!#$%&*()-_=+[]{}<>?.,;~^";

/** A database login as AWS's RDS PostgreSQL rotation functions read it from a secret. */
export interface ConnectionSecret {
  host: string;
  port: number;
  username: string;
  password: string;
  dbname: string;
  /** ARN of the master secret; the alternating-users rotation logs in with it to change this user. */
  masterarn?: string;
}

/**
 * The SecretString of a rotated login: `engine` must be "postgres" and `ssl: true` stops the
 * rotation function from falling back to an unencrypted connection.
 */
export function connectionSecretString(secret: ConnectionSecret): string {
  return JSON.stringify({ engine: "postgres", ssl: true, ...secret });
}

export type InsightsMode = "standard" | "advanced";

/** Sizing and retention choices, checked the same way whether they come from config or code. */
export interface MetastoreSizing {
  engineVersion: string;
  allocatedStorageGb: number;
  maxAllocatedStorageGb: number;
  backupRetentionDays: number;
  readReplicas: number;
  rotationDays: number;
  monitoringIntervalSeconds: number;
  maxConnections: number;
  insights: { mode: InsightsMode; retentionDays: number };
  manageMasterUserPassword: boolean;
}

/** Enhanced Monitoring intervals RDS accepts (0, which turns it off, is not offered). */
export const monitoringIntervals = [1, 5, 10, 15, 30, 60] as const;

/** Performance Insights keeps 7 days (free), whole months of 31 days up to 23, or 731 days. */
export function validInsightsRetention(days: number): boolean {
  return days === 7 || days === 731 || (days % 31 === 0 && days >= 31 && days <= 713);
}

/** Database Insights' Advanced mode needs Performance Insights kept at least 15 months. */
export const advancedInsightsMinimumRetention = 465;

export function metastoreSizingProblems(s: MetastoreSizing): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const wholeIn = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;

  if (!parseEngineVersion(s.engineVersion)) {
    add(
      ["engineVersion"],
      `unknown engine family: use PostgreSQL ${Object.keys(engineFamilies).join(" or ")} ("17" or "17.7"), the majors the Hive metastore and RDS both support`,
    );
  }
  // gp3 on RDS for PostgreSQL starts at 20 GiB and ends at 64 TiB.
  if (!wholeIn(s.allocatedStorageGb, 20, 65536)) add(["allocatedStorageGb"], "gp3 storage is 20 to 65536 GiB");
  const smallestLimit = Math.ceil((s.allocatedStorageGb * 11) / 10);
  if (!wholeIn(s.maxAllocatedStorageGb, 20, 65536) || s.maxAllocatedStorageGb < smallestLimit) {
    add(
      ["maxAllocatedStorageGb"],
      `storage autoscaling needs a limit at least 10% above allocatedStorageGb (${smallestLimit} GiB or more) and at most 65536 GiB`,
    );
  }
  // 0 would turn off automated backups, which read replicas and point-in-time recovery need.
  if (!wholeIn(s.backupRetentionDays, 1, 35)) add(["backupRetentionDays"], "RDS keeps automated backups 1 to 35 days");
  if (!wholeIn(s.readReplicas, 0, 5)) add(["readReplicas"], "0 to 5 in-region read replicas");
  if (!wholeIn(s.rotationDays, 1, 1000)) add(["rotationDays"], "Secrets Manager rotates every 1 to 1000 days");
  if (!(monitoringIntervals as readonly number[]).includes(s.monitoringIntervalSeconds)) {
    add(["monitoringIntervalSeconds"], `Enhanced Monitoring collects every ${monitoringIntervals.join(", ")} seconds`);
  }
  if (!wholeIn(s.maxConnections, 20, 5000))
    add(["maxConnections"], "20 to 5000 connections (RDS's own default formula stops at 5000)");
  if (!validInsightsRetention(s.insights.retentionDays)) {
    add(
      ["insights", "retentionDays"],
      "Performance Insights keeps 7 days, a multiple of 31 days up to 713, or 731 days",
    );
  } else if (s.insights.mode === "advanced" && s.insights.retentionDays < advancedInsightsMinimumRetention) {
    add(
      ["insights", "retentionDays"],
      `Database Insights' advanced mode needs Performance Insights kept at least ${advancedInsightsMinimumRetention} days (15 months)`,
    );
  }
  if (s.manageMasterUserPassword && s.readReplicas > 0) {
    add(
      ["manageMasterUserPassword"],
      "an RDS-managed master password cannot be used on an instance with read replicas; keep it false (loglake then keeps the master login in its own rotated secret)",
    );
  }
  return problems;
}
