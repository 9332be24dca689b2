import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";

/**
 * A running fauxqs (an in-memory SQS emulator speaking the JSON protocol the v3 SDK uses) on a
 * loopback port picked by the OS. It implements visibility timeouts and redrive to a dead-letter
 * queue after maxReceiveCount, which the tests rely on.
 */
export interface SqsPeer {
  endpoint: string;
  /** An SQS client pointed at the peer (dummy credentials). */
  client: SQSClient;
  /** Creates a queue and returns its URL and ARN. */
  createQueue(name: string, attributes?: Record<string, string>): Promise<{ url: string; arn: string }>;
  stop(): Promise<void>;
}

export async function startSqs(): Promise<SqsPeer> {
  // fauxqs is an ES module; this CommonJS project can only load it with a dynamic import.
  const { buildApp } = await import("fauxqs");
  // buildApp rather than startFauxqs, which listens on every interface; the tests need loopback only.
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ port: 0, host: "127.0.0.1" });
  const client = new SQSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "fauxqs", secretAccessKey: "fauxqs" },
  });
  return {
    endpoint,
    client,
    async createQueue(name, attributes) {
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
      );
      return { url: QueueUrl!, arn: Attributes!.QueueArn! };
    },
    async stop() {
      client.destroy();
      await app.close();
    },
  };
}
