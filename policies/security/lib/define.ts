import {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
  UnknownValueError,
} from "@pulumi/policy";

/**
 * A resource's inputs as the engine hands them to a policy: the SDK's own property-bag type, since
 * the pack does not load the @pulumi/aws schema. Nested values are read through typed shapes.
 */
export type Props = ResourceValidationArgs["props"];

/** A policy without configuration. */
export type NoConfig = Record<string, never>;

/** Reports one finding: what is wrong with the resource and what to change. */
export type Report = (problem: string, fix: string) => void;

interface PolicyMeta {
  /** `<service>-<check>`. */
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  configSchema?: PolicyConfigSchema;
}

/** `aws:s3/bucket:Bucket "logs": <problem> Fix: <fix>`: the resource as a reader of the preview output finds it. */
const message = (type: string, name: string, problem: string, fix: string) =>
  `${type} "${name}": ${problem} Fix: ${fix}`;

/**
 * A policy that inspects one resource at a time (the engine's Analyze call), for the given type
 * tokens. Unknown values read by `check` make the framework downgrade the finding to an advisory
 * "can't run during preview" note instead of a violation.
 */
export function resourcePolicy<Config extends object = NoConfig>(
  meta: PolicyMeta & {
    types: readonly string[];
    check: (props: Props, report: Report, config: Config, args: ResourceValidationArgs) => void;
  },
): ResourceValidationPolicy {
  const { types, check, ...rest } = meta;
  return {
    ...rest,
    validateResource: (args, reportViolation) => {
      if (!types.includes(args.type)) return;
      check(
        args.props,
        (problem, fix) => reportViolation(message(args.type, args.name, problem, fix)),
        args.getConfig<Config>(),
        args,
      );
    },
  };
}

/** Reports a finding about one resource of the stack. */
export type StackReport = (resource: PolicyResource, problem: string, fix: string) => void;

/**
 * A policy over the whole resource graph (the engine's AnalyzeStack call), for rules that join
 * resources, such as a v7 bucket and its separate encryption or public-access-block resources.
 */
export function stackPolicy<Config extends object = NoConfig>(
  meta: PolicyMeta & {
    check: (resources: PolicyResource[], report: StackReport, config: Config, args: StackValidationArgs) => void;
  },
): StackValidationPolicy {
  const { check, ...rest } = meta;
  return {
    ...rest,
    validateStack: (args, reportViolation) =>
      check(
        args.resources,
        (resource, problem, fix) => reportViolation(message(resource.type, resource.name, problem, fix), resource.urn),
        args.getConfig<Config>(),
        args,
      ),
  };
}

/** Reads a value, giving `undefined` when it is not known yet. */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof UnknownValueError) return undefined;
    throw e;
  }
}

/** Booleans arrive as booleans from programs and as "true"/"false" strings for some v7 inputs. */
export const isTrue = (value: unknown) => value === true || value === "true";
export const isFalse = (value: unknown) => value === false || value === "false";

/** Placeholders the offline engine and `pulumi stack export` put where a value is hidden. */
export const isRedacted = (value: unknown) => value === "[secret]" || value === "[unknown]";

/** A list input that may be absent. */
export const listOf = <T = unknown>(value: unknown): T[] =>
  Array.isArray(value) ? (value as T[]) : value === undefined || value === null ? [] : [value as T];

/**
 * RDS read replicas name their source in `replicateSourceDb`: an identifier in the same region, an
 * ARN across regions. Storage encryption, its key and backups of an in-region replica follow the source.
 */
export const replicaSource = (props: Props): "none" | "in-region" | "cross-region" =>
  !props.replicateSourceDb ? "none" : String(props.replicateSourceDb).startsWith("arn:") ? "cross-region" : "in-region";
