import { policyCases } from "../../support";
import { auroraCluster, CROSS_REGION_SOURCE, good, inRegionReplica, KEY_ARN, withInstance } from "../support";

policyCases("rds-multi-az", {
  compliant: {
    "a Multi-AZ instance": good,
    "an Aurora cluster with a writer and a reader": auroraCluster(2),
    "a single-AZ in-region read replica of a Multi-AZ primary": [...good, inRegionReplica],
  },
  violations: {
    "a single-AZ instance": { resources: withInstance({ multiAz: false }), offender: "metastore" },
    "an Aurora cluster with one instance": { resources: auroraCluster(1), offender: "aurora", says: /1 instance/ },
    "a single-AZ cross-region standby": {
      resources: [
        {
          ...inRegionReplica,
          name: "standby",
          props: { ...inRegionReplica.props, replicateSourceDb: CROSS_REGION_SOURCE, kmsKeyId: KEY_ARN },
          dependsOn: [],
        },
      ],
      offender: "standby",
    },
  },
});
