import { isTrue, resourcePolicy } from "../lib/define";
import { RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../lib/types";

export const rdsNotPublic = resourcePolicy({
  name: "rds-not-public",
  description: "RDS instances are not publicly accessible.",
  enforcementLevel: "mandatory",
  types: [RDS_INSTANCE, RDS_CLUSTER_INSTANCE],
  check: (props, report) => {
    if (isTrue(props.publiclyAccessible)) {
      report("is publicly accessible.", "set publiclyAccessible: false and reach the database from inside the VPC.");
    }
  },
});
