import { policyCases } from "../../support";
import { good, withInstance } from "../support";

policyCases("rds-deletion-protection", {
  compliant: { "deletion protection on": good },
  violations: {
    "deletion protection off": { resources: withInstance({ deletionProtection: false }), offender: "metastore" },
  },
});
