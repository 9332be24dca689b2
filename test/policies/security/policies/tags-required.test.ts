import * as assert from "node:assert/strict";
import { check, policyCases } from "../../support";
import { provider, queue, TAGS } from "../support";

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
