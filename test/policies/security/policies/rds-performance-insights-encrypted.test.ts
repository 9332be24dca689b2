import { policyCases } from "../../support";
import { good, withInstance } from "../support";

policyCases("rds-performance-insights-encrypted", {
  compliant: {
    "Performance Insights under a customer-managed key": good,
    "Performance Insights off": withInstance({
      performanceInsightsEnabled: false,
      performanceInsightsKmsKeyId: undefined,
    }),
  },
  violations: {
    "Performance Insights without a key": {
      resources: withInstance({ performanceInsightsKmsKeyId: undefined }),
      offender: "metastore",
    },
  },
});
