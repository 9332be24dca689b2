import { policyCases } from "../../support";

policyCases("cloudwatch-log-group-retention", {
  compliant: {
    "a log group keeping 30 days": [
      { type: "aws:cloudwatch/logGroup:LogGroup", name: "flow-logs", props: { retentionInDays: 30 } },
    ],
  },
  violations: {
    "a log group kept forever (no retention)": {
      resources: [{ type: "aws:cloudwatch/logGroup:LogGroup", name: "flow-logs", props: {} }],
      offender: "flow-logs",
    },
    "retention 0 (never expire)": {
      resources: [{ type: "aws:cloudwatch/logGroup:LogGroup", name: "flow-logs", props: { retentionInDays: 0 } }],
      offender: "flow-logs",
    },
  },
});
