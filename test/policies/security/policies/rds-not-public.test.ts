import { policyCases } from "../../support";
import { good, withInstance } from "../support";

policyCases("rds-not-public", {
  compliant: { "a private instance": good },
  violations: {
    "a publicly accessible instance": { resources: withInstance({ publiclyAccessible: true }), offender: "metastore" },
  },
});
