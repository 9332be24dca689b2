import { policyCases } from "../../support";
import { bucket, compliant } from "../support";

policyCases("s3-no-public-acl", {
  compliant: {
    "a private bucket": [bucket("logs", { acl: "private" })],
    "a bucket ACL granting the owner only": [
      ...compliant("logs"),
      {
        type: "aws:s3/bucketAcl:BucketAcl",
        name: "logs-acl",
        props: {
          bucket: "logs",
          accessControlPolicy: {
            grants: [{ grantee: { type: "CanonicalUser", id: "abc" }, permission: "FULL_CONTROL" }],
            owner: { id: "abc" },
          },
        },
      },
    ],
  },
  violations: {
    "a public-read bucket": {
      resources: [bucket("site", { acl: "public-read" })],
      offender: "site",
      says: /public-read/,
    },
    "a bucket ACL granting AllUsers": {
      resources: [
        {
          type: "aws:s3/bucketAcl:BucketAcl",
          name: "logs-acl",
          props: {
            bucket: "logs",
            accessControlPolicy: {
              grants: [
                {
                  grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
                  permission: "READ",
                },
              ],
              owner: { id: "abc" },
            },
          },
        },
      ],
      offender: "logs-acl",
    },
  },
});
