/** Which reported objects are the builder's to take (pure). */
import type { ManifestBuilderConfig } from "./config";

/**
 * True when the object is in one of the configured raw buckets (under its prefix). Objects in the
 * builder's own manifest and quarantine buckets never are: recording those would manifest manifests
 * and move quarantined objects again.
 */
export function isRawObject(
  config: Pick<ManifestBuilderConfig, "rawSources" | "manifestBucket" | "quarantineBucket">,
  object: { bucket: string; key: string },
): boolean {
  if (object.bucket === config.manifestBucket || object.bucket === config.quarantineBucket) return false;
  if (config.rawSources.length === 0) return true;
  return config.rawSources.some(
    ({ bucket, prefix }) => bucket === object.bucket && (prefix === "" || object.key.startsWith(`${prefix}/`)),
  );
}
