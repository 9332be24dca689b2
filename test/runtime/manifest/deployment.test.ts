import assert from "node:assert/strict";
import { sourceQueueVisibilityTimeout } from "../../../runtime/manifest/deployment";

describe("manifest builder deployment settings", () => {
  it("sets the source queue's visibility timeout to six function timeouts plus the batching window", () => {
    assert.equal(sourceQueueVisibilityTimeout(300), 1805);
    assert.equal(sourceQueueVisibilityTimeout(900, 0), 5400);
  });

  it("refuses function timeouts Lambda would refuse", () => {
    assert.throws(() => sourceQueueVisibilityTimeout(0), /Lambda allows whole seconds from 1 to 900/);
    assert.throws(() => sourceQueueVisibilityTimeout(901), /Lambda allows/);
    assert.throws(() => sourceQueueVisibilityTimeout(1.5), /Lambda allows/);
  });

  it("refuses a batching window that would push the visibility timeout past SQS's 12 hours", () => {
    assert.throws(() => sourceQueueVisibilityTimeout(900, 40_000), /exceeds SQS's maximum of 43200 s/);
  });
});
