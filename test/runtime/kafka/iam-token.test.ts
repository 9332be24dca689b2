import assert from "node:assert/strict";
import { MskTokenProvider, type MskToken } from "../../../runtime/kafka/iam-token";

const minute = 60_000;

/** A signer that issues 15-minute tokens numbered by call, on a clock the test moves. */
function fakeSigner(clock: { now: number }) {
  const calls: number[] = [];
  const sign = async (): Promise<MskToken> => {
    calls.push(clock.now);
    return { token: `token-${calls.length}`, expiryTime: clock.now + 15 * minute };
  };
  return { sign, calls };
}

describe("MskTokenProvider", () => {
  it("reuses a token while it has more than the refresh margin left", async () => {
    const clock = { now: 1_000_000 };
    const signer = fakeSigner(clock);
    const provider = new MskTokenProvider({ sign: signer.sign, now: () => clock.now, refreshMarginMs: 5 * minute });
    assert.equal((await provider.token()).token, "token-1");
    clock.now += 9 * minute;
    assert.equal((await provider.token()).token, "token-1", "a token with 6 minutes left must be reused");
    assert.equal(signer.calls.length, 1);
  });

  it("signs a new token once the cached one is inside the refresh margin", async () => {
    const clock = { now: 1_000_000 };
    const signer = fakeSigner(clock);
    const provider = new MskTokenProvider({ sign: signer.sign, now: () => clock.now, refreshMarginMs: 5 * minute });
    await provider.token();
    clock.now += 10 * minute + 1;
    const refreshed = await provider.token();
    assert.equal(refreshed.token, "token-2");
    assert.equal(refreshed.expiryTime, clock.now + 15 * minute);
  });

  it("gives librdkafka a fresh token when it asks at 80% of the lifetime (default margin)", async () => {
    const clock = { now: 1_000_000 };
    const signer = fakeSigner(clock);
    const provider = new MskTokenProvider({ sign: signer.sign, now: () => clock.now });
    const refresh = provider.librdkafkaRefreshCallback();
    const first = await refresh();
    clock.now += 12 * minute; // librdkafka refreshes at 80% of 15 minutes
    const second = await refresh();
    assert.notEqual(
      second.tokenValue,
      first.tokenValue,
      "librdkafka's refresh must not get the token that is about to expire",
    );
    assert.equal(second.lifetime, clock.now + 15 * minute, "lifetime is the token's expiry in ms since the epoch");
    assert.ok(second.principal.length > 0);
  });

  it("shares one signing between concurrent requests", async () => {
    const clock = { now: 1_000_000 };
    let signings = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const provider = new MskTokenProvider({
      sign: async () => {
        signings++;
        await gate;
        return { token: "shared", expiryTime: clock.now + 15 * minute };
      },
      now: () => clock.now,
    });
    const both = Promise.all([provider.token(), provider.token()]);
    release();
    const [a, b] = await both;
    assert.equal(signings, 1);
    assert.equal(a.token, b.token);
  });

  it("propagates a signing failure and signs again on the next request", async () => {
    const clock = { now: 1_000_000 };
    let attempt = 0;
    const provider = new MskTokenProvider({
      sign: async () => {
        attempt++;
        if (attempt === 1) throw new Error("no AWS credentials");
        return { token: "second", expiryTime: clock.now + 15 * minute };
      },
      now: () => clock.now,
    });
    await assert.rejects(provider.token(), /no AWS credentials/);
    assert.equal((await provider.token()).token, "second");
  });

  it("refuses a token that is already expired", async () => {
    const clock = { now: 1_000_000 };
    const provider = new MskTokenProvider({
      sign: async () => ({ token: "stale", expiryTime: clock.now - 1 }),
      now: () => clock.now,
    });
    await assert.rejects(provider.token(), /returned a token that expired/);
  });

  it("needs a region for the default signer", async () => {
    await assert.rejects(new MskTokenProvider({}).token(), /needs a region/);
  });
});
