import { Option, type Command } from "commander";
import { resolveConnection, type KafkaConnection } from "./connection";

/** Command-line options every Kafka-using subcommand shares. */
export interface ConnectionFlags {
  brokers?: string;
  clusterArn?: string;
  iamBrokers?: string;
  region?: string;
  listener?: "private" | "public" | "vpc-connectivity";
}

export function addConnectionOptions(command: Command): Command {
  return command
    .option("--brokers <host:port,...>", "local mode: plaintext brokers without authentication (mock cluster, laptop)")
    .option("--cluster-arn <arn>", "MSK cluster ARN: bootstrap brokers are discovered, IAM authentication over TLS")
    .option("--iam-brokers <host:port,...>", "MSK SASL/IAM bootstrap brokers given directly (skips discovery)")
    .option("--region <region>", "AWS region for --iam-brokers (default: AWS_REGION)")
    .addOption(
      new Option("--listener <listener>", "which MSK IAM listener to discover")
        .choices(["private", "public", "vpc-connectivity"])
        .default("private"),
    );
}

export function connectionFrom(flags: ConnectionFlags): Promise<KafkaConnection> {
  return resolveConnection(flags);
}
