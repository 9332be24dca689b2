import { z } from "zod";
import { logRetentionProblem } from "../../components/shared/aws-limits";
import { hostBitsProblem, parseIpv4Cidr } from "../../components/shared/cidr";
import { Problem } from "../../components/shared/problems";

export type { Problem };

/** What a stack is for; it picks the defaults every section starts from. */
export const environments = ["dev", "prod", "dr"] as const;
export type Environment = (typeof environments)[number];

/**
 * A config section: its schema (as customers write it), the defaults each environment starts from,
 * and checks across sections that need the whole config. config.ts builds the stack's schema, its
 * defaults and its cross-section checks from the list of sections, so a new section is one entry.
 */
export interface Section<K extends string, S extends z.ZodType, C> {
  /** The config key below the `loglake:` namespace. */
  key: K;
  schema: S;
  /** What a stack of the environment gets for the keys it leaves out; `raw` is what the stack wrote. */
  defaults(environment: Environment, raw: unknown): Partial<z.input<S>>;
  /** Checks that need other sections or the environment; they run once every section is valid. */
  problems?(config: C): Problem[];
}

/** A section, with its key kept as a literal type so the stack config's type names every section. */
export const section = <K extends string, S extends z.ZodType, C = unknown>(s: Section<K, S, C>) => s;

/** Regions where every service loglake uses (MSK, EKS, RDS, S3 replication) is available. */
export const awsRegions = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-central-1",
  "eu-central-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-south-1",
  "sa-east-1",
] as const;
export const awsRegion = z.enum(awsRegions);

/** A log group's retention in days, as CloudWatch Logs accepts it. */
export const logRetention = z
  .number()
  .int()
  .superRefine((days, ctx) => {
    const problem = logRetentionProblem(days);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** An IPv4 CIDR block such as 10.0.0.0/16, as EC2 takes it (no host bits set). */
export const ipv4Cidr = z.string().superRefine((cidr, ctx) => {
  const block = parseIpv4Cidr(cidr);
  const problem = block ? hostBitsProblem(block) : "is not an IPv4 CIDR block such as 10.0.0.0/16";
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const arn = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `an ARN of ${service} (arn:aws:${service}:...)`);
