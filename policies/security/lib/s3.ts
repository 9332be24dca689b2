import { PolicyResource } from "@pulumi/policy";
import { isRedacted, known } from "./define";
import { S3_BUCKET, S3_VERSIONING } from "./types";

const BUCKET_LOGGING = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];

/**
 * Whether a resource's bucket-valued input (`bucket` on the v7 split S3 resources, `targetBucket`
 * on logging) names this bucket. In order of precision:
 * - the engine recorded that the input came from that bucket (propertyDependencies, Pulumi CLI);
 * - the input equals the bucket's name or id (known at plan time, and in state exports);
 * - the resource depends on exactly one bucket (the offline engine records dependencies only);
 * - in a hand-written resource list, the input equals the bucket's logical name.
 */
export function refersTo(resource: PolicyResource, input: string, bucket: PolicyResource): boolean {
  const viaProperty = resource.propertyDependencies[input];
  if (viaProperty && viaProperty.length > 0) return viaProperty.includes(bucket);
  const target = known(() => resource.props[input]);
  const names = [known(() => bucket.props["bucket"]), known(() => bucket.props["id"])].filter(
    (n) => typeof n === "string" && !isRedacted(n),
  );
  if (typeof target === "string" && !isRedacted(target) && names.length > 0) return names.includes(target);
  const bucketDeps = resource.dependencies.filter((d) => S3_BUCKET.includes(d.type));
  if (bucketDeps.length === 1) return bucketDeps[0] === bucket;
  return target === bucket.name;
}

/** Every bucket of the stack with its companions of the given types (joined on their `bucket` input). */
export function bucketsWith(
  resources: PolicyResource[],
  companionTypes: readonly string[],
): { bucket: PolicyResource; companions: PolicyResource[] }[] {
  const companions = resources.filter((r) => companionTypes.includes(r.type));
  return resources
    .filter((r) => S3_BUCKET.includes(r.type))
    .map((bucket) => ({ bucket, companions: companions.filter((c) => refersTo(c, "bucket", bucket)) }));
}

/** Whether S3 server access logs are delivered to this bucket. */
export const isAccessLogTarget = (bucket: PolicyResource, resources: PolicyResource[]) =>
  resources.some((r) => BUCKET_LOGGING.includes(r.type) && refersTo(r, "targetBucket", bucket));

/**
 * Whether a bucket keeps versions: a BucketVersioning with status Enabled, or the deprecated inline
 * `versioning` block. A value not known yet counts as versioned (no finding on a guess).
 */
export function isVersioned(bucket: PolicyResource, resources: PolicyResource[]): boolean {
  const split = resources.filter((r) => S3_VERSIONING.includes(r.type) && refersTo(r, "bucket", bucket));
  return (
    split.some((c) => known(() => c.props["versioningConfiguration"]?.status === "Enabled") ?? true) ||
    known(() => bucket.props["versioning"]?.enabled === true) === true
  );
}
