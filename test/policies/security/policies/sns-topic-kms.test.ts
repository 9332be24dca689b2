import { policyCases } from "../../support";
import { KEY_ARN, one } from "../support";

policyCases("sns-topic-kms", {
  compliant: { "a topic under a customer key": one("aws:sns/topic:Topic", "alarms", { kmsMasterKeyId: KEY_ARN }) },
  violations: { "an unencrypted topic": { resources: one("aws:sns/topic:Topic", "alarms", {}), offender: "alarms" } },
});
