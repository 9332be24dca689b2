import { isRedacted, known, stackPolicy } from "../lib/define";
import { actionMatches, isPublicPrincipal, parseDocument, Statement } from "../lib/iam";
import { bucketsWith } from "../lib/s3";
import { S3_POLICY } from "../lib/types";

/** Deny s3:* (or s3:Get*, s3:Put*...) to everyone when aws:SecureTransport is false. */
function deniesInsecureTransport(s: Statement): boolean {
  const bool = s.condition?.["Bool"]?.["aws:SecureTransport"];
  return (
    s.effect === "Deny" &&
    isPublicPrincipal(s.principal) &&
    s.actions.some((a) => actionMatches(a, "s3:GetObject") && actionMatches(a, "s3:PutObject")) &&
    [bool].flat().map(String).includes("false")
  );
}

function policyDeniesInsecureTransport(policy: unknown): boolean | undefined {
  if (isRedacted(policy)) return undefined;
  return parseDocument(policy)?.some(deniesInsecureTransport) ?? false;
}

export const s3BucketTlsOnly = stackPolicy({
  name: "s3-bucket-tls-only",
  description: "Every S3 bucket policy denies requests that do not use TLS (aws:SecureTransport = false).",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    for (const { bucket, companions } of bucketsWith(resources, S3_POLICY)) {
      // A document not known yet (preview) is not a finding.
      const documents = [
        ...companions.map((c) => known(() => c.props["policy"]) ?? "[unknown]"),
        known(() => bucket.props["policy"]),
      ].filter((p) => p !== undefined);
      if (documents.length > 0 && documents.some((p) => policyDeniesInsecureTransport(p) !== false)) continue;
      report(
        bucket,
        documents.length === 0 ? "has no bucket policy." : "has a bucket policy that does not deny insecure transport.",
        'add an aws.s3.BucketPolicy statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
      );
    }
  },
});
