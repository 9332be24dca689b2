import { isTrue, resourcePolicy } from "../lib/define";
import { RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../lib/types";

export const rdsPerformanceInsightsEncrypted = resourcePolicy({
  name: "rds-performance-insights-encrypted",
  description:
    "When Performance Insights is on, its data (which holds SQL text) is encrypted with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  types: [RDS_INSTANCE, RDS_CLUSTER, RDS_CLUSTER_INSTANCE],
  check: (props, report) => {
    if (isTrue(props.performanceInsightsEnabled) && !props.performanceInsightsKmsKeyId) {
      report(
        "has Performance Insights on without a customer-managed key.",
        "set performanceInsightsKmsKeyId to a customer-managed key ARN.",
      );
    }
  },
});
