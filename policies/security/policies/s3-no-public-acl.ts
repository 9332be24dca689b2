import { listOf, resourcePolicy } from "../lib/define";
import { S3_ACL, S3_BUCKET } from "../lib/types";

const PUBLIC_CANNED = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GROUPS = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;

export const s3NoPublicAcl = resourcePolicy({
  name: "s3-no-public-acl",
  description: "No S3 bucket or bucket ACL grants access to everyone or to any AWS user.",
  enforcementLevel: "mandatory",
  types: [...S3_BUCKET, ...S3_ACL],
  check: (props, report) => {
    if (PUBLIC_CANNED.includes(props.acl)) {
      report(
        `uses the public canned ACL "${props.acl}".`,
        'use "private" (or no ACL with BucketOwnershipControls "BucketOwnerEnforced") and grant access through IAM.',
      );
    }
    const grants = listOf<{ grantee?: { uri?: string }; uri?: unknown }>(
      props.accessControlPolicy?.grants ?? props.grants,
    );
    const publicGrant = grants.find(
      (g) => PUBLIC_GROUPS.test(g.grantee?.uri ?? "") || listOf<string>(g.uri).some((u) => PUBLIC_GROUPS.test(u)),
    );
    if (publicGrant)
      report(
        "grants access to the AllUsers or AuthenticatedUsers group.",
        "remove the grant and give access through IAM policies to named principals.",
      );
  },
});
