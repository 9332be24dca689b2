import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { namePrefixProblem } from "../../components/shared/aws-limits";
import { autoscalingService } from "../../components/shared/service-linked-roles";
import { configError, namespacedKeys, tagsSchema } from "../config";
import { awsRegion } from "../settings/common";

/** The bootstrap program's project name: its config keys are `loglake-bootstrap:<key>`. */
export const bootstrapProject = "loglake-bootstrap";

/**
 * The account bootstrap's config: what one account's loglake stacks share. Validated before any
 * resource is registered, like the stacks' own config (infra/config.ts).
 */
export const bootstrapSchema = z.strictObject({
  // Coerced: Pulumi hands config over as text, which reads as a number (ids with a leading 0 stay text).
  accountId: z.coerce
    .string()
    .regex(/^\d{12}$/, "12 digits")
    .describe("The AWS account to bootstrap; the provider refuses credentials of any other account."),
  region: awsRegion.describe("Region of the state bucket and the secrets key (the stacks may deploy elsewhere)."),
  prefix: z
    .string()
    .superRefine((prefix, ctx) => {
      const problem = namePrefixProblem(prefix);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .default("loglake")
    .describe(
      "Start of the bootstrap's names and of every name the stacks create: the deploy role manages only names starting with it, so every stack's loglake:prefix must start with it.",
    ),
  stackPrefixes: z
    .array(z.string())
    .min(1)
    .default(["loglake", "loglake-dev", "loglake-dr"])
    .describe(
      "The loglake:prefix of every stack the CI roles deploy (default: the shipped stacks'); each starts with prefix. Their MSK clusters' topics are managed by cluster name.",
    ),
  tags: tagsSchema.describe("Tags on every bootstrap resource (the same required tags as the stacks')."),
  github: z
    .strictObject({
      repository: z.string().describe("The customer's repository, owner/repo: the only one trusted by the CI roles."),
      deployEnvironment: z
        .string()
        .default("production")
        .describe("The protected GitHub environment whose jobs may assume the deploy role."),
      previewBranch: z
        .string()
        .default("main")
        .describe("The branch whose runs (nightly drift) may assume the preview role besides pull requests."),
      createOidcProvider: z
        .boolean()
        .default(true)
        .describe("Create the account's GitHub OIDC provider; false when the account has one (IAM allows one)."),
    })
    .describe("GitHub Actions' access: the OIDC provider and the preview and deploy roles."),
  state: z
    .strictObject({
      noncurrentVersionExpirationDays: z
        .number()
        .int()
        .min(1)
        .default(90)
        .describe("Days an overwritten state file is kept as a noncurrent version."),
      noncurrentVersionsKept: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(10)
        .describe("Noncurrent versions of each state file kept whatever their age."),
    })
    .default({ noncurrentVersionExpirationDays: 90, noncurrentVersionsKept: 10 })
    .describe("The state bucket's retention of old states."),
  serviceLinkedRoles: z
    .strictObject({
      adopt: z
        .array(z.enum([autoscalingService]))
        .default([])
        .describe(
          "Services whose service-linked role the account already has (aws iam get-role --role-name AWSServiceRoleForAutoScaling answers): imported, not created.",
        ),
    })
    .default({ adopt: [] })
    .describe("The account-wide service-linked roles the stacks name (Auto Scaling's)."),
});

export type BootstrapConfig = z.infer<typeof bootstrapSchema>;

/** Every stack prefix must start with the bootstrap's: the deploy role manages only those names. */
const checkedSchema = bootstrapSchema.superRefine((config, ctx) => {
  config.stackPrefixes.forEach((stackPrefix, i) => {
    if (!stackPrefix.startsWith(config.prefix)) {
      ctx.addIssue({ code: "custom", path: ["stackPrefixes", i], message: `must start with prefix ${config.prefix}` });
    }
  });
});

/** Validates the bootstrap's raw config (the values below `loglake-bootstrap:`). */
export function parseBootstrapConfig(raw: Record<string, unknown>): BootstrapConfig {
  const result = checkedSchema.safeParse(raw);
  if (!result.success) throw configError(bootstrapProject, result.error, raw);
  return result.data;
}

/** Reads and validates the current bootstrap stack's config. */
export function loadBootstrapConfig(): BootstrapConfig {
  return parseBootstrapConfig(namespacedKeys(pulumi.runtime.allConfig(), bootstrapProject));
}
