import { policyCases, TestResource } from "../../support";

const template = (metadataOptions?: unknown): TestResource[] => [
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    name: "nodes",
    props: metadataOptions === undefined ? {} : { metadataOptions },
  },
];

policyCases("ec2-launch-template-imdsv2", {
  compliant: {
    "IMDSv2 required, as the compute component's node templates set it": template({
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
    }),
    "IMDSv2 required in a one-element list (state export)": template([{ httpTokens: "required" }]),
  },
  violations: {
    "no metadataOptions (EC2 then answers IMDSv1)": {
      resources: template(),
      offender: "nodes",
      says: /not set, which means optional/,
    },
    'httpTokens "optional"': {
      resources: template({ httpEndpoint: "enabled", httpTokens: "optional" }),
      offender: "nodes",
      says: /"optional"/,
    },
    "metadataOptions without httpTokens": {
      resources: template({ httpPutResponseHopLimit: 1 }),
      offender: "nodes",
      says: /httpTokens/,
    },
  },
});
