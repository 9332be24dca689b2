import { listOf, resourcePolicy } from "../lib/define";
import { EC2_LAUNCH_TEMPLATE } from "../lib/types";

/** A launch template's metadataOptions (an object input; a one-element list in some exports). */
interface MetadataOptions {
  httpTokens?: string;
}

export const ec2LaunchTemplateImdsv2 = resourcePolicy({
  name: "ec2-launch-template-imdsv2",
  description:
    'Launch templates require IMDSv2 (metadataOptions.httpTokens "required"), so a request forged through a workload (SSRF) cannot read the instance role\'s credentials.',
  enforcementLevel: "mandatory",
  types: [EC2_LAUNCH_TEMPLATE],
  check: (props, report) => {
    // EC2 answers IMDSv1 unless told otherwise: an unset httpTokens is "optional".
    const tokens = listOf<MetadataOptions>(props.metadataOptions)[0]?.httpTokens;
    if (tokens !== "required") {
      report(
        `lets instances use IMDSv1 (metadataOptions.httpTokens is ${tokens === undefined ? "not set, which means optional" : `"${tokens}"`}).`,
        'set metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 } (2 where containers need the metadata service).',
      );
    }
  },
});
