import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { AwsAccount } from "../../components/security/account";
import type {
  HiveMetastoreArgs,
  HiveMetastoreDatabase,
  HiveMetastoreLake,
} from "../../components/workloads/hive-metastore";
import { quantityPattern } from "../../components/workloads/pod-security";
import { durationPattern, SecretsStoreCsiDriverArgs } from "../../components/workloads/secrets-store-csi";
import { Environment, Problem, section } from "./common";

/** The `hive` section: the Hive metastore service in the cluster and the secrets driver it reads its logins with. */

const quantity = z.string().regex(quantityPattern, "a Kubernetes quantity such as 500m or 1536Mi");
const cpuAndMemory = z.strictObject({
  cpu: quantity.describe("CPU, e.g. 500m or 2."),
  memory: quantity.describe("Memory, e.g. 1536Mi; the JVM heap is 75% of the limit."),
});

export const hiveSchema = z.strictObject({
  replicas: z
    .number()
    .int()
    .min(1)
    .max(10)
    .describe("Metastore pods (1 to 10; 2 or more in prod), spread over zones behind a PodDisruptionBudget."),
  resources: z
    .strictObject({
      requests: cpuAndMemory.describe("What the scheduler reserves."),
      limits: cpuAndMemory.describe("What the container may use."),
    })
    .optional()
    .describe("Requests and limits of the metastore container. Default: 500m/1536Mi requested, 2 CPUs/1536Mi limit."),
  secretRotationPollInterval: z
    .string()
    .regex(durationPattern, "a duration such as 90s, 2m or 1h")
    .optional()
    .describe(
      "Least time between two fetches of a mounted secret by the Secrets Store CSI driver: how soon a rotated login reaches the metastore. Default: 2m.",
    ),
});
export type HiveSettings = z.infer<typeof hiveSchema>;

export const hiveDefaults: Record<Environment, z.input<typeof hiveSchema>> = {
  dev: { replicas: 1 },
  prod: { replicas: 2 },
  // Serves only once the replica is promoted, then as prod does.
  dr: { replicas: 2 },
};

export function hiveProblems(config: { environment: Environment; hive: HiveSettings }): Problem[] {
  return config.environment === "prod" && config.hive.replicas < 2
    ? [{ path: ["hive", "replicas"], message: "prod runs at least 2 metastore pods, so one can be drained or lost" }]
    : [];
}

export const hiveSection = section({
  key: "hive",
  schema: hiveSchema,
  defaults: (e) => hiveDefaults[e],
  problems: hiveProblems,
});

/** What the program hands the Hive metastore besides its settings. */
export interface HiveDependencies {
  kubernetesProvider: HiveMetastoreArgs["kubernetesProvider"];
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /** ComputeCluster's Hive metastore role (trusting its default service account, hive/hive-metastore). */
  roleArn: pulumi.Input<string>;
  roleName: pulumi.Input<string>;
  lake: HiveMetastoreLake;
  database: HiveMetastoreDatabase;
  imagesKmsKeyArn: pulumi.Input<string>;
  vpcCidr: pulumi.Input<string>;
  kubernetesVersion: string;
  waitFor: pulumi.Resource[];
  account: pulumi.Input<AwsAccount>;
}

export function hiveMetastoreArgs(config: { hive: HiveSettings }, deps: HiveDependencies): HiveMetastoreArgs {
  return { ...deps, replicas: config.hive.replicas, resources: config.hive.resources };
}

export function secretsStoreArgs(
  config: { hive: HiveSettings },
  deps: Pick<SecretsStoreCsiDriverArgs, "kubernetesProvider" | "waitFor">,
): SecretsStoreCsiDriverArgs {
  return { ...deps, rotationPollInterval: config.hive.secretRotationPollInterval };
}
