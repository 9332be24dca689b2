import { policyCases } from "../../support";
import { eksComponent, KEY_ARN, launchTemplate } from "../support";

policyCases("ebs-encrypted", {
  compliant: {
    "a launch template with encrypted volumes under a customer key": launchTemplate({
      encrypted: "true",
      kmsKeyId: KEY_ARN,
    }),
    "a managed node group with a launch template": [
      { type: "eks:index:ManagedNodeGroup", name: "workers", props: { launchTemplate: { id: "lt-1", version: "1" } } },
    ],
    "an eks.Cluster without a default node group": eksComponent(),
    "an encrypted volume": [
      {
        type: "aws:ebs/volume:Volume",
        name: "scratch",
        props: { availabilityZone: "eu-west-1a", size: 10, encrypted: true, kmsKeyId: KEY_ARN },
      },
    ],
  },
  violations: {
    "an unencrypted launch template volume": {
      resources: launchTemplate({ encrypted: "false" }),
      offender: "nodes",
      says: /\/dev\/xvda/,
    },
    "a launch template volume encrypted with the default key": {
      resources: launchTemplate({ encrypted: "true" }),
      offender: "nodes",
    },
    "a managed node group without a launch template": {
      resources: [{ type: "eks:index:ManagedNodeGroup", name: "workers", props: { instanceTypes: ["m7g.large"] } }],
      offender: "workers",
    },
    "an aws.eks.NodeGroup without a launch template": {
      resources: [{ type: "aws:eks/nodeGroup:NodeGroup", name: "raw-workers", props: { clusterName: "c" } }],
      offender: "raw-workers",
    },
    "an eks.Cluster default node group with unencrypted root volumes": {
      resources: eksComponent({ skipDefaultNodeGroup: false }),
      offender: "compute",
    },
    "an unencrypted volume": {
      resources: [
        { type: "aws:ebs/volume:Volume", name: "scratch", props: { availabilityZone: "eu-west-1a", size: 10 } },
      ],
      offender: "scratch",
    },
  },
});
