import assert from "node:assert/strict";
import { isTransientS3Error, retryTransient } from "../../../runtime/sink/retry";

function awsError(name: string, status?: number, code?: string): Error {
  return Object.assign(new Error(name), {
    name,
    code,
    $metadata: status === undefined ? {} : { httpStatusCode: status },
  });
}

describe("sink S3 retries", () => {
  it("retries what says nothing about the request: no connection, 5xx, throttling", () => {
    assert.ok(isTransientS3Error(awsError("Error", undefined, "ECONNREFUSED")));
    assert.ok(isTransientS3Error(awsError("InternalError", 500)));
    assert.ok(isTransientS3Error(awsError("ServiceUnavailable", 503)));
    assert.ok(isTransientS3Error(awsError("SlowDown", 503)));
    assert.ok(isTransientS3Error(awsError("TooManyRequests", 429)));
    assert.ok(isTransientS3Error(awsError("TimeoutError")));
  });

  it("does not retry refusals or programming errors", () => {
    assert.ok(!isTransientS3Error(awsError("AccessDenied", 403)));
    assert.ok(!isTransientS3Error(awsError("NoSuchBucket", 404)));
    assert.ok(!isTransientS3Error(new TypeError("x is undefined")));
    assert.ok(!isTransientS3Error("a string"));
  });

  it("backs off until the operation succeeds", async () => {
    let clock = 0;
    const delays: number[] = [];
    let calls = 0;
    const result = await retryTransient(
      "put",
      async () => {
        if (++calls < 5) throw awsError("ServiceUnavailable", 503);
        return "done";
      },
      { deadlineMs: 60_000, now: () => clock, sleep: async (ms) => void (delays.push(ms), (clock += ms)) },
    );
    assert.equal(result, "done");
    assert.equal(delays.length, 4);
    assert.ok(
      delays.every((delay, i) => i === 0 || delay >= delays[i - 1] / 2 - 1),
      `delays grow: ${delays}`,
    );
  });

  it("gives up at the deadline with the last error, and at once on a refusal", async () => {
    let clock = 0;
    const options = { deadlineMs: 10_000, now: () => clock, sleep: async (ms: number) => void (clock += ms) };
    await assert.rejects(
      retryTransient("put k", () => Promise.reject(awsError("InternalError", 500)), options),
      /^Error: put k: S3 still failing after \d+ attempts over [\d.]+ s \(retry deadline 10 s\): InternalError/,
    );
    assert.ok(clock <= 10_000);
    let calls = 0;
    await assert.rejects(
      retryTransient("put", () => (calls++, Promise.reject(awsError("AccessDenied", 403))), options),
      /AccessDenied/,
    );
    assert.equal(calls, 1);
  });
});
