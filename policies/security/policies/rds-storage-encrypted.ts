import { isTrue, replicaSource, resourcePolicy } from "../lib/define";
import { RDS_CLUSTER, RDS_INSTANCE } from "../lib/types";

export const rdsStorageEncrypted = resourcePolicy({
  name: "rds-storage-encrypted",
  description:
    "RDS instances and clusters encrypt storage (and so snapshots and backups) with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  types: [RDS_INSTANCE, RDS_CLUSTER],
  check: (props, report) => {
    // Aurora Serverless v1 is always encrypted, and an in-region replica is encrypted with its source's key.
    if (props.engineMode === "serverless" || replicaSource(props) === "in-region") return;
    if (!isTrue(props.storageEncrypted)) {
      report(
        "does not encrypt its storage.",
        "set storageEncrypted: true and kmsKeyId to a customer-managed key ARN (an existing database must be restored from an encrypted snapshot).",
      );
    } else if (!props.kmsKeyId) {
      report("encrypts storage with the AWS-managed aws/rds key.", "set kmsKeyId to a customer-managed key ARN.");
    }
  },
});
