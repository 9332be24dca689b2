import { policyCases } from "../../support";
import { good, instance, parameterGroup } from "../support";

policyCases("rds-force-ssl", {
  compliant: {
    "a Postgres parameter group with rds.force_ssl = 1": good,
    "a MySQL parameter group with require_secure_transport = ON": [
      {
        type: "aws:rds/parameterGroup:ParameterGroup",
        name: "mysql-params",
        props: { family: "mysql8.0", parameters: [{ name: "require_secure_transport", value: "ON" }] },
      },
    ],
  },
  violations: {
    "a Postgres parameter group without rds.force_ssl": {
      resources: [parameterGroup([{ name: "log_min_duration_statement", value: "500" }]), instance()],
      offender: "metastore-params",
      says: /rds\.force_ssl/,
    },
    "rds.force_ssl = 0": {
      resources: [parameterGroup([{ name: "rds.force_ssl", value: "0" }]), instance()],
      offender: "metastore-params",
    },
    "an instance on the engine's default parameter group": {
      resources: [{ ...instance({ parameterGroupName: undefined }), dependsOn: [] }],
      offender: "metastore",
      says: /default parameter group/,
    },
  },
});
