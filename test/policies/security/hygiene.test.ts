import * as assert from "node:assert/strict";
import { check, policyCases, TestResource } from "../support";

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

const TAGS = {
  owner: "data-platform",
  environment: "prod",
  "cost-center": "cc-1042",
  "data-classification": "confidential",
};

/** The program's AWS provider: defaultTags is an object input, which providers register as JSON text. */
const provider = (tags: Record<string, string>): TestResource => ({
  type: "pulumi:providers:aws",
  name: "aws-eu-west-1",
  props: { region: "eu-west-1", defaultTags: JSON.stringify({ tags }) },
});

const queue = (props: Record<string, unknown> = {}): TestResource => ({
  type: "aws:sqs/queue:Queue",
  name: "manifests",
  props,
  provider: "aws-eu-west-1",
});

policyCases("tags-required", {
  compliant: {
    "tags from the provider's defaultTags": [provider(TAGS), queue()],
    "tags split between defaultTags and the resource": [
      provider({ owner: "data-platform" }),
      queue({ tags: { environment: "prod", "cost-center": "cc-1042", "data-classification": "confidential" } }),
    ],
    "a deployed resource whose tagsAll holds the provider's defaults (state export)": [
      { ...queue({ tagsAll: TAGS }), provider: undefined },
    ],
    "a custom required tag list from the pack config": {
      resources: [provider({ team: "data" }), queue()],
      config: { "tags-required": { requiredTags: ["team"] } },
    },
  },
  violations: {
    "a resource whose provider sets no defaultTags": {
      resources: [{ ...provider({}), props: { region: "eu-west-1" } }, queue()],
      offender: "manifests",
      says: /owner, environment, cost-center, data-classification/,
    },
    "a resource missing cost-center": {
      resources: [
        provider({ owner: "data-platform", environment: "prod", "data-classification": "confidential" }),
        queue(),
      ],
      offender: "manifests",
      says: /lacks the tag\(s\) cost-center\./,
    },
  },
});

describe("tags-required", () => {
  it("does not ask for tags on resources AWS cannot tag", async () => {
    const verdict = await check([
      { type: "aws:s3/bucketPolicy:BucketPolicy", name: "lake-policy", props: { bucket: "lake", policy: "{}" } },
    ]);
    assert.deepEqual(
      verdict.findings.filter((f) => f.policy === "tags-required"),
      [],
    );
  });
});
