import { PolicyProviderResource } from "@pulumi/policy";
import { known, stackPolicy } from "../lib/define";

const DEFAULT_REQUIRED = ["owner", "environment", "cost-center", "data-classification"];

/** Tags of an object input, or of the JSON string providers register their object inputs as. */
function tagsIn(value: unknown): Record<string, unknown> {
  if (typeof value === "string") {
    try {
      return tagsIn(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/** The tags an AWS provider adds to every taggable resource it manages (defaultTags.tags). */
function providerDefaultTags(provider: PolicyProviderResource | undefined): Record<string, unknown> {
  return tagsIn(tagsIn(known(() => provider?.props["defaultTags"]))["tags"]);
}

/**
 * AWS resources that take tags. The @pulumi/aws schema is not loaded in the pack (it would slow
 * every preview), so a resource counts as taggable when it has a tags input, or is one of the types
 * loglake relies on cost reports for.
 */
const TAGGABLE =
  /^aws:(s3\/bucket(V2)?:|rds\/(instance|cluster):|msk\/cluster:|eks\/(cluster|nodeGroup):|kms\/key:|ec2\/(vpc|subnet|securityGroup|launchTemplate|natGateway):|cloudwatch\/logGroup:|sqs\/queue:|sns\/topic:|dynamodb\/table:|secretsmanager\/secret:|lambda\/function:|iam\/role:)/;

export const tagsRequired = stackPolicy<{ requiredTags: string[] }>({
  name: "tags-required",
  description: "Taggable AWS resources carry the required tags, from their own tags or the AWS provider's defaultTags.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      requiredTags: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_REQUIRED,
        description: "Tag keys every taggable resource must carry.",
      },
    },
  },
  check: (resources, report, config) => {
    const required = config.requiredTags ?? DEFAULT_REQUIRED;
    for (const resource of resources) {
      if (!resource.type.startsWith("aws:")) continue;
      const own = known(() => resource.props["tags"]);
      if (own === undefined && !TAGGABLE.test(resource.type)) continue;
      // A deployed resource's tagsAll (state exports, `pulumi up`) already includes the provider's defaults.
      const tags = {
        ...providerDefaultTags(resource.provider),
        ...tagsIn(known(() => resource.props["tagsAll"])),
        ...tagsIn(own),
      };
      const missing = required.filter((key) => !(key in tags));
      if (missing.length > 0) {
        report(
          resource,
          `lacks the tag(s) ${missing.join(", ")}.`,
          "set them in the AWS provider's defaultTags (the program does this from the stack's loglake:tags) or on the resource.",
        );
      }
    }
  },
});
