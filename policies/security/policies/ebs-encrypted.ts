import { isTrue, listOf, resourcePolicy } from "../lib/define";
import {
  EBS_VOLUME,
  EC2_LAUNCH_TEMPLATE,
  EKS_COMPONENT_CLUSTER,
  EKS_COMPONENT_MANAGED_NODE_GROUP,
  EKS_NODE_GROUP,
} from "../lib/types";

/** One entry of a launch template's blockDeviceMappings. */
interface BlockDeviceMapping {
  deviceName?: string;
  virtualName?: string;
  noDevice?: string;
  ebs?: { encrypted?: unknown; kmsKeyId?: string };
}

const KEY_FIX = 'set encrypted: "true" and kmsKeyId to a customer-managed key ARN';

export const ebsEncrypted = resourcePolicy({
  name: "ebs-encrypted",
  description:
    "EBS volumes are encrypted with a customer-managed KMS key: launch template block devices, standalone volumes, and EKS node root volumes (which need a launch template to be encrypted whatever the account default).",
  enforcementLevel: "mandatory",
  types: [EC2_LAUNCH_TEMPLATE, EBS_VOLUME, EKS_NODE_GROUP, EKS_COMPONENT_MANAGED_NODE_GROUP, EKS_COMPONENT_CLUSTER],
  check: (props, report, _config, args) => {
    switch (args.type) {
      case EC2_LAUNCH_TEMPLATE:
        for (const mapping of listOf<BlockDeviceMapping>(props.blockDeviceMappings)) {
          if (mapping.virtualName || mapping.noDevice) continue;
          if (!isTrue(mapping.ebs?.encrypted) || !mapping.ebs?.kmsKeyId) {
            report(
              `block device ${mapping.deviceName ?? "(unnamed)"} is not encrypted with a customer-managed key.`,
              `in blockDeviceMappings[].ebs ${KEY_FIX}.`,
            );
          }
        }
        return;
      case EBS_VOLUME:
        if (!isTrue(props.encrypted) || !props.kmsKeyId)
          report("is not encrypted with a customer-managed key.", `${KEY_FIX}.`);
        return;
      case EKS_COMPONENT_CLUSTER:
        // The component's default node group is a self-managed group of its own making.
        if (!isTrue(props.skipDefaultNodeGroup) && !isTrue(props.nodeRootVolumeEncrypted)) {
          report(
            "creates a default node group with unencrypted root volumes.",
            "set skipDefaultNodeGroup: true and add managed node groups with an encrypted launch template.",
          );
        }
        return;
      default:
        // Without a launch template EKS uses its own, whose root volume follows the account's EBS default.
        if (!props.launchTemplate) {
          report(
            "has no launch template, so node root volumes are encrypted only if the account turns EBS encryption on by default.",
            `pass a launchTemplate whose blockDeviceMappings ${KEY_FIX}.`,
          );
        }
    }
  },
});
