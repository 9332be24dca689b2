import { policyCases } from "../../support";
import { auroraCluster, CROSS_REGION_SOURCE, good, inRegionReplica, withInstance } from "../support";

policyCases("rds-storage-encrypted", {
  compliant: {
    "an instance encrypted with a customer-managed key": good,
    "an Aurora cluster encrypted with a customer-managed key": auroraCluster(2),
    "an in-region read replica (its source's key)": [...good, inRegionReplica],
  },
  violations: {
    "a cross-region replica without this region's key": {
      resources: [
        {
          ...inRegionReplica,
          name: "standby",
          props: { ...inRegionReplica.props, replicateSourceDb: CROSS_REGION_SOURCE },
          dependsOn: [],
        },
      ],
      offender: "standby",
    },
    "an unencrypted instance": {
      resources: withInstance({ storageEncrypted: false, kmsKeyId: undefined }),
      offender: "metastore",
      says: /does not encrypt/,
    },
    "an instance encrypted with the AWS-managed key": {
      resources: withInstance({ kmsKeyId: undefined }),
      offender: "metastore",
      says: /aws\/rds/,
    },
  },
});
