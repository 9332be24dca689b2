import { resourcePolicy } from "../lib/define";
import { LOG_GROUP } from "../lib/types";

export const cloudwatchLogGroupRetention = resourcePolicy({
  name: "cloudwatch-log-group-retention",
  description:
    "CloudWatch log groups expire their events (retentionInDays set), so logs are not kept and paid for forever.",
  enforcementLevel: "mandatory",
  types: [LOG_GROUP],
  check: (props, report) => {
    if (!(props.retentionInDays > 0))
      report("keeps log events forever.", "set retentionInDays (e.g. 30 in dev, 365 in prod).");
  },
});
