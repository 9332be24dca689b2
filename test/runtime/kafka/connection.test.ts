import assert from "node:assert/strict";
import { connectionConfig, resolveConnection } from "../../../runtime/kafka/connection";
import { MskTokenProvider } from "../../../runtime/kafka/iam-token";

describe("Kafka connection settings", () => {
  it("uses TLS and OAUTHBEARER with the token provider's callback for MSK IAM", async () => {
    const tokens = new MskTokenProvider({ sign: async () => ({ token: "signed", expiryTime: Date.now() + 900_000 }) });
    const config = connectionConfig({ kind: "iam", bootstrapServers: "b-1:9098", tokens });
    assert.equal(config["security.protocol"], "sasl_ssl");
    assert.equal(config["sasl.mechanisms"], "OAUTHBEARER");
    assert.equal(config["ssl.endpoint.identification.algorithm"], "https");
    const refresh = config.oauthbearer_token_refresh_cb as () => Promise<{ tokenValue: string }>;
    assert.equal((await refresh()).tokenValue, "signed");
  });

  it("uses plaintext without authentication in local mode", () => {
    const config = connectionConfig({ kind: "local", bootstrapServers: "127.0.0.1:9092" });
    assert.equal(config["security.protocol"], "plaintext");
    assert.equal(config["sasl.mechanisms"], undefined);
  });

  it("refuses both or neither of local brokers and an MSK cluster", async () => {
    await assert.rejects(resolveConnection({}), /exactly one of/);
    await assert.rejects(
      resolveConnection({ brokers: "a:1", clusterArn: "arn:aws:kafka:eu-west-1:123456789012:cluster/x/y" }),
      /exactly one of/,
    );
  });

  it("needs a region to sign tokens for brokers given directly", async () => {
    const saved = process.env.AWS_REGION;
    delete process.env.AWS_REGION;
    try {
      await assert.rejects(resolveConnection({ iamBrokers: "b-1:9098" }), /needs --region/);
      const connection = await resolveConnection({ iamBrokers: "b-1:9098", region: "eu-west-1" });
      assert.equal(connection.kind, "iam");
    } finally {
      if (saved !== undefined) process.env.AWS_REGION = saved;
    }
  });
});
