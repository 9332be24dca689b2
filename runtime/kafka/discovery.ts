import { GetBootstrapBrokersCommand, KafkaClient } from "@aws-sdk/client-kafka";

/** The parts of an MSK cluster ARN the runtime needs. */
export interface ClusterArn {
  arn: string;
  region: string;
  account: string;
  clusterName: string;
}

// arn:aws:kafka:eu-west-1:123456789012:cluster/logs/1a2b3c4d-...-1
const clusterArnPattern = /^arn:aws[a-z-]*:kafka:([a-z0-9-]+):(\d{12}):cluster\/([^/]+)\/[^/]+$/;

export function parseClusterArn(arn: string): ClusterArn {
  const match = clusterArnPattern.exec(arn);
  if (!match) {
    throw new Error(
      `${JSON.stringify(arn)} is not an MSK cluster ARN (expected arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>)`,
    );
  }
  return { arn, region: match[1], account: match[2], clusterName: match[3] };
}

/** Which IAM listener to use: inside the VPC, over public access, or through multi-VPC connectivity. */
export type IamListener = "private" | "public" | "vpc-connectivity";

/**
 * Looks up the SASL/IAM bootstrap brokers of an MSK cluster. The Kafka client is injectable so
 * callers can point it at another endpoint or credentials; by default it is built for the ARN's region.
 */
export async function discoverIamBootstrap(
  clusterArn: string,
  options: { listener?: IamListener; client?: KafkaClient } = {},
): Promise<string> {
  const { region } = parseClusterArn(clusterArn);
  const listener = options.listener ?? "private";
  const client = options.client ?? new KafkaClient({ region });
  let response;
  try {
    response = await client.send(new GetBootstrapBrokersCommand({ ClusterArn: clusterArn }));
  } catch (error) {
    throw new Error(
      `GetBootstrapBrokers for ${clusterArn} failed: ${(error as Error).name}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const brokers = {
    private: response.BootstrapBrokerStringSaslIam,
    public: response.BootstrapBrokerStringPublicSaslIam,
    "vpc-connectivity": response.BootstrapBrokerStringVpcConnectivitySaslIam,
  }[listener];
  if (!brokers) {
    const offered = Object.entries(response)
      .filter(([key, value]) => key.startsWith("BootstrapBrokerString") && value)
      .map(([key]) => key);
    throw new Error(
      `MSK cluster ${clusterArn} has no ${listener} SASL/IAM listener ` +
        `(it offers: ${offered.join(", ") || "nothing"}). Enable IAM client authentication ` +
        `(ClientAuthentication.Sasl.Iam)${listener === "private" ? "" : ` and ${listener} access`} on the cluster.`,
    );
  }
  return brokers;
}
