import { replicaSource, resourcePolicy } from "../lib/define";
import { RDS_CLUSTER, RDS_INSTANCE } from "../lib/types";

export const rdsBackupRetention = resourcePolicy<{ minimumDays: number }>({
  name: "rds-backup-retention",
  description:
    "RDS instances and clusters keep automated backups for at least the configured number of days (default 7); read replicas are covered by their source's backups.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumDays: {
        type: "integer",
        minimum: 1,
        maximum: 35,
        default: 7,
        description: "Fewest days of automated backups.",
      },
    },
  },
  types: [RDS_INSTANCE, RDS_CLUSTER],
  check: (props, report, config) => {
    if (replicaSource(props) !== "none") return;
    const minimum = config.minimumDays ?? 7;
    // The API default is 1 day for both instances and clusters.
    const days = props.backupRetentionPeriod ?? 1;
    if (days < minimum) {
      report(
        `keeps automated backups for ${days} day(s), fewer than ${minimum}.`,
        `set backupRetentionPeriod to ${minimum} or more.`,
      );
    }
  },
});
