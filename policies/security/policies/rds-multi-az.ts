import { isTrue, known, replicaSource, stackPolicy } from "../lib/define";
import { RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../lib/types";

export const rdsMultiAz = stackPolicy({
  name: "rds-multi-az",
  description:
    "RDS instances run Multi-AZ and Aurora clusters have at least two instances, so one AZ failing does not stop the database (in-region read replicas, which only add read capacity, excepted).",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    for (const db of resources) {
      if (
        db.type === RDS_INSTANCE &&
        known(() => !isTrue(db.props["multiAz"]) && replicaSource(db.props) !== "in-region")
      ) {
        report(db, "runs in a single Availability Zone.", "set multiAz: true.");
      }
      if (db.type === RDS_CLUSTER && known(() => db.props["engineMode"]) !== "serverless") {
        const members = resources.filter(
          (r) =>
            r.type === RDS_CLUSTER_INSTANCE &&
            (r.propertyDependencies["clusterIdentifier"] ?? r.dependencies).includes(db),
        );
        if (members.length < 2) {
          report(
            db,
            `has ${members.length} instance(s); a failover needs a second one in another AZ.`,
            "add a second aws.rds.ClusterInstance (a reader) for this cluster.",
          );
        }
      }
    }
  },
});
