import { policyCases } from "../../support";
import { good, inRegionReplica, withInstance } from "../support";

policyCases("rds-backup-retention", {
  compliant: {
    "7 days of backups": good,
    "14 days when the stack asks for 14": {
      resources: withInstance({ backupRetentionPeriod: 14 }),
      config: { "rds-backup-retention": { minimumDays: 14 } },
    },
    "a read replica, backed up through its source": [...good, inRegionReplica],
  },
  violations: {
    "the API default of 1 day": {
      resources: withInstance({ backupRetentionPeriod: undefined }),
      offender: "metastore",
      says: /1 day/,
    },
    "7 days when the stack's config asks for 14": {
      resources: good,
      offender: "metastore",
      config: { "rds-backup-retention": { minimumDays: 14 } },
      says: /fewer than 14/,
    },
  },
});
