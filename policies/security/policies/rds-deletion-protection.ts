import { isTrue, resourcePolicy } from "../lib/define";
import { RDS_CLUSTER, RDS_INSTANCE } from "../lib/types";

export const rdsDeletionProtection = resourcePolicy({
  name: "rds-deletion-protection",
  description: "RDS instances and clusters have deletion protection on.",
  enforcementLevel: "mandatory",
  types: [RDS_INSTANCE, RDS_CLUSTER],
  check: (props, report) => {
    if (!isTrue(props.deletionProtection))
      report("can be deleted without turning off deletion protection first.", "set deletionProtection: true.");
  },
});
