import type { GlobalConfig } from "@confluentinc/kafka-javascript";
import { discoverIamBootstrap, parseClusterArn, type IamListener } from "./discovery";
import { MskTokenProvider } from "./iam-token";

/** How a runtime program reaches Kafka. */
export type KafkaConnection =
  /** Plaintext, no authentication: the mock cluster, a laptop broker. */
  | { kind: "local"; bootstrapServers: string }
  /** MSK with IAM: TLS plus OAUTHBEARER tokens signed from the AWS credential chain. */
  | { kind: "iam"; bootstrapServers: string; tokens: MskTokenProvider };

/** librdkafka settings for the connection: addresses, TLS and authentication. */
export function connectionConfig(connection: KafkaConnection): GlobalConfig {
  if (connection.kind === "local") {
    return { "bootstrap.servers": connection.bootstrapServers, "security.protocol": "plaintext" };
  }
  return {
    "bootstrap.servers": connection.bootstrapServers,
    "security.protocol": "sasl_ssl",
    "sasl.mechanisms": "OAUTHBEARER",
    "ssl.endpoint.identification.algorithm": "https",
    oauthbearer_token_refresh_cb: connection.tokens.librdkafkaRefreshCallback(),
  };
}

/** Command-line view of a connection: either a local broker list or an MSK cluster ARN. */
export interface ConnectionOptions {
  /** Plaintext brokers without authentication (local mode). */
  brokers?: string;
  /** MSK cluster ARN; brokers are discovered and IAM auth is used. */
  clusterArn?: string;
  /** IAM brokers given directly (skips discovery); needs `region`. */
  iamBrokers?: string;
  region?: string;
  listener?: IamListener;
}

export async function resolveConnection(options: ConnectionOptions): Promise<KafkaConnection> {
  const chosen = [options.brokers, options.clusterArn, options.iamBrokers].filter(Boolean).length;
  if (chosen !== 1) {
    throw new Error(
      "give exactly one of --brokers (local, plaintext), --cluster-arn (MSK, IAM) or --iam-brokers (MSK, IAM)",
    );
  }
  if (options.brokers) return { kind: "local", bootstrapServers: options.brokers };
  if (options.clusterArn) {
    const { region } = parseClusterArn(options.clusterArn);
    const bootstrapServers = await discoverIamBootstrap(options.clusterArn, { listener: options.listener });
    return { kind: "iam", bootstrapServers, tokens: new MskTokenProvider({ region }) };
  }
  const region = options.region ?? process.env.AWS_REGION;
  if (!region) throw new Error("--iam-brokers needs --region (or AWS_REGION) to sign MSK IAM tokens");
  return { kind: "iam", bootstrapServers: options.iamBrokers!, tokens: new MskTokenProvider({ region }) };
}
