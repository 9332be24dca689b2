import { KafkaClient } from "@aws-sdk/client-kafka";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { discoverIamBootstrap, parseClusterArn } from "../../../runtime/kafka/discovery";

const clusterArn = "arn:aws:kafka:eu-west-1:123456789012:cluster/logs/5e1c2f3a-1111-2222-3333-444455556666-2";

/**
 * The MSK control-plane endpoint on loopback: the real SDK client sends its real
 * GetBootstrapBrokers request (GET /v1/clusters/{arn}/bootstrap-brokers) here.
 */
async function mskEndpoint(
  respond: (request: IncomingMessage) => { status: number; headers?: Record<string, string>; body: unknown },
) {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${decodeURIComponent(request.url ?? "")}`);
    const { status, headers, body } = respond(request);
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const client = new KafkaClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
    maxAttempts: 1,
  });
  return {
    client,
    requests,
    close: () => {
      client.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("MSK bootstrap discovery", () => {
  it("returns the SASL/IAM broker string of the cluster", async () => {
    const endpoint = await mskEndpoint(() => ({
      status: 200,
      body: { bootstrapBrokerStringTls: "b-1.logs:9094", bootstrapBrokerStringSaslIam: "b-1.logs:9098,b-2.logs:9098" },
    }));
    try {
      assert.equal(await discoverIamBootstrap(clusterArn, { client: endpoint.client }), "b-1.logs:9098,b-2.logs:9098");
      assert.deepEqual(endpoint.requests, [`GET /v1/clusters/${clusterArn}/bootstrap-brokers`]);
    } finally {
      await endpoint.close();
    }
  });

  it("picks the public IAM listener when asked", async () => {
    const endpoint = await mskEndpoint(() => ({
      status: 200,
      body: { bootstrapBrokerStringSaslIam: "b-1.private:9098", bootstrapBrokerStringPublicSaslIam: "b-1.public:9198" },
    }));
    try {
      assert.equal(
        await discoverIamBootstrap(clusterArn, { client: endpoint.client, listener: "public" }),
        "b-1.public:9198",
      );
    } finally {
      await endpoint.close();
    }
  });

  it("refuses a cluster without an IAM listener and says what it offers", async () => {
    const endpoint = await mskEndpoint(() => ({ status: 200, body: { bootstrapBrokerStringTls: "b-1.logs:9094" } }));
    try {
      await assert.rejects(
        discoverIamBootstrap(clusterArn, { client: endpoint.client }),
        (error: Error) =>
          error.message.includes("has no private SASL/IAM listener") &&
          error.message.includes("BootstrapBrokerStringTls") &&
          error.message.includes("ClientAuthentication.Sasl.Iam"),
      );
    } finally {
      await endpoint.close();
    }
  });

  it("names the cluster and the AWS error when the call fails", async () => {
    const endpoint = await mskEndpoint(() => ({
      status: 404,
      headers: { "x-amzn-errortype": "NotFoundException" },
      body: { message: "The requested resource doesn't exist." },
    }));
    try {
      await assert.rejects(
        discoverIamBootstrap(clusterArn, { client: endpoint.client }),
        (error: Error) => error.message.includes(clusterArn) && error.message.includes("NotFoundException"),
      );
    } finally {
      await endpoint.close();
    }
  });

  it("refuses something that is not an MSK cluster ARN before calling AWS", async () => {
    await assert.rejects(discoverIamBootstrap("arn:aws:s3:::logs"), /not an MSK cluster ARN/);
  });

  it("reads region, account and name from a cluster ARN", () => {
    assert.deepEqual(parseClusterArn(clusterArn), {
      arn: clusterArn,
      region: "eu-west-1",
      account: "123456789012",
      clusterName: "logs",
    });
  });
});
