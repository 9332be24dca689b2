import * as pulumi from "@pulumi/pulumi";

/**
 * Resources whose loss loses data or makes data unreadable. In stacks that protect them, Pulumi
 * refuses to delete them (`protect`) and, if they leave the program anyway, leaves them in the account
 * (`retainOnDelete`).
 */
export const statefulTypes: ReadonlySet<string> = new Set([
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "aws:rds/instance:Instance",
  "aws:msk/cluster:Cluster",
  "aws:dynamodb/table:Table",
  "aws:secretsmanager/secret:Secret",
  // Flow logs, control-plane and broker logs are audit records.
  "aws:cloudwatch/logGroup:LogGroup",
]);

/**
 * Applies stack-wide resource options in one place instead of in each component. A stack
 * transformation runs inside the SDK, so it works under the mock runtime too (a resource transform
 * would need the engine's callback server).
 */
export function applyStackDefaults(options: { protectStatefulResources: boolean }): void {
  if (!options.protectStatefulResources) return;
  pulumi.runtime.registerStackTransformation((args) =>
    statefulTypes.has(args.type)
      ? { props: args.props, opts: pulumi.mergeOptions(args.opts, { protect: true, retainOnDelete: true }) }
      : undefined,
  );
}
