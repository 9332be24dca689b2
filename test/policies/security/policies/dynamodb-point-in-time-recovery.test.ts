import { policyCases } from "../../support";

const table = (props: Record<string, unknown>) => [{ type: "aws:dynamodb/table:Table", name: "tracking", props }];

policyCases("dynamodb-point-in-time-recovery", {
  compliant: { "point-in-time recovery on": table({ pointInTimeRecovery: { enabled: true } }) },
  violations: {
    "no point-in-time recovery": { resources: table({}), offender: "tracking" },
    "point-in-time recovery off": {
      resources: table({ pointInTimeRecovery: { enabled: false } }),
      offender: "tracking",
    },
  },
});
