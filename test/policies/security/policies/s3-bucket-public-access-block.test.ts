import { policyCases, TestResource } from "../../support";
import { compliant, publicAccessBlock, without } from "../support";

/** A public access block for a bucket this stack does not define. */
const standaloneBlock = (off: string[] = []): TestResource => {
  const { dependsOn: _bucket, ...block } = publicAccessBlock("shared", off);
  return { ...block, props: { ...block.props, bucket: "loglake-shared" } };
};

policyCases("s3-bucket-public-access-block", {
  compliant: {
    "a bucket with all four blocks on": compliant("logs"),
    "a block on its own with all four on (its bucket made by another stack)": [standaloneBlock()],
  },
  violations: {
    "a bucket without a public access block": {
      resources: without("pab"),
      offender: "logs",
      says: /no public access block/,
    },
    "a block with restrictPublicBuckets off": {
      resources: without("pab", publicAccessBlock("logs", ["restrictPublicBuckets"])),
      offender: "logs",
      says: /restrictPublicBuckets/,
    },
    "a block joined to its bucket with ignorePublicAcls off, as the block itself": {
      resources: without("pab", publicAccessBlock("logs", ["ignorePublicAcls"])),
      offender: "logs-pab",
      says: /turns ignorePublicAcls off/,
    },
    "a block on its own with blockPublicPolicy off": {
      resources: [standaloneBlock(["blockPublicPolicy"])],
      offender: "shared-pab",
      says: /blockPublicPolicy/,
    },
    'a block on its own with all four "false" (as v7 registers some booleans)': {
      resources: [
        {
          ...standaloneBlock(),
          props: {
            bucket: "loglake-shared",
            blockPublicAcls: "false",
            blockPublicPolicy: "false",
            ignorePublicAcls: "false",
            restrictPublicBuckets: "false",
          },
        },
      ],
      offender: "shared-pab",
      says: /blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets off/,
    },
  },
});
