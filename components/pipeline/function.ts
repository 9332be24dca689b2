import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsAccount } from "../security/account";
import { bundleLambda, lambdaNodeMajor } from "./bundle";

/** Where a pipeline component's functions run and which keys they use: both components take these. */
export interface PipelineFunctionPlacement {
  /** The lake key: every lake bucket's SSE-KMS key, used only through S3. */
  lakeKeyArn: pulumi.Input<string>;
  /**
   * CMK of the component's queues and its functions' environment (Keys' pipeline key). Its policy must
   * let s3.amazonaws.com use it for this account's queues: S3 encrypts its notifications.
   */
  pipelineKeyArn: pulumi.Input<string>;
  /** CMK of the functions' log groups (Keys' logs key). */
  logsKeyArn: pulumi.Input<string>;
  /** VPC and private subnets the functions run in. */
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Days the functions' logs are kept; one of the periods CloudWatch Logs accepts. Default: 365. */
  logRetentionDays?: number;
}

/** One of the pipeline's Lambda functions, as both pipeline components deploy theirs. */
export interface PipelineFunctionArgs {
  /** Physical name; the log group is `/aws/lambda/<functionName>`. */
  functionName: string;
  description: string;
  /** TypeScript entry point exporting `handler`, bundled at deploy time. */
  entry: string;
  timeoutSeconds: number;
  memoryMb: number;
  reservedConcurrency: number;
  environment: Record<string, pulumi.Input<string>>;
  /** What the function may do besides running in the VPC, writing its logs and traces. */
  statements: pulumi.Input<Record<string, unknown>>[];
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** CMK of the environment variables. */
  environmentKeyArn: pulumi.Input<string>;
  logsKeyArn: pulumi.Input<string>;
  logRetentionDays: number;
  account: pulumi.Output<AwsAccount>;
}

export interface PipelineFunction {
  fn: aws.lambda.Function;
  role: aws.iam.Role;
  securityGroup: aws.ec2.SecurityGroup;
  /** The code as deployed, so tests run exactly what `pulumi up` uploads. */
  code: pulumi.asset.AssetArchive;
}

/**
 * A function in the private subnets with a security group of its own (no inbound, HTTPS out), its
 * log group created first (KMS, retention), a role trusted by Lambda for this account only, its
 * environment encrypted with a CMK, active tracing and reserved concurrency. Children are named
 * `<name>-…` under `parent`.
 */
export function pipelineFunction(name: string, parent: pulumi.Resource, args: PipelineFunctionArgs): PipelineFunction {
  const child = { parent };
  const { account } = args;
  const securityGroup = new aws.ec2.SecurityGroup(
    name,
    {
      vpcId: args.vpcId,
      description: `${args.functionName}: no inbound; HTTPS out to AWS APIs`,
      egress: [
        {
          description: "HTTPS to AWS APIs (endpoints or NAT)",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["0.0.0.0/0"],
        },
      ],
    },
    child,
  );
  // Created before the function, so Lambda never creates an unencrypted group without retention.
  const logGroup = new aws.cloudwatch.LogGroup(
    name,
    { name: `/aws/lambda/${args.functionName}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
    child,
  );
  const role = new aws.iam.Role(
    name,
    {
      description: args.description,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
          },
        ],
      }),
    },
    child,
  );
  for (const [managed, path] of [
    ["AWSLambdaVPCAccessExecutionRole", "service-role/"],
    ["AWSXRayDaemonWriteAccess", ""],
  ]) {
    new aws.iam.RolePolicyAttachment(
      `${name}-${managed}`,
      { role: role.name, policyArn: pulumi.interpolate`arn:${account.partition}:iam::aws:policy/${path}${managed}` },
      child,
    );
  }
  const rolePolicy = new aws.iam.RolePolicy(
    name,
    { role: role.name, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: args.statements }) },
    child,
  );
  const code = new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleLambda(args.entry)) });
  const fn = new aws.lambda.Function(
    name,
    {
      name: args.functionName,
      description: args.description,
      role: role.arn,
      runtime: `nodejs${lambdaNodeMajor}.x`,
      architectures: ["arm64"],
      handler: "index.handler",
      code,
      timeout: args.timeoutSeconds,
      memorySize: args.memoryMb,
      reservedConcurrentExecutions: args.reservedConcurrency,
      environment: { variables: args.environment },
      kmsKeyArn: args.environmentKeyArn,
      tracingConfig: { mode: "Active" },
      vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [securityGroup.id] },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
    },
    { parent, dependsOn: [logGroup, rolePolicy] },
  );
  return { fn, role, securityGroup, code };
}

/**
 * Keeps the asynchronous invocations of `fn` that fail twice more (schedules, EventBridge) in
 * `destinationArn` instead of dropping them.
 */
export function keepFailedInvocations(
  name: string,
  parent: pulumi.Resource,
  fn: aws.lambda.Function,
  destinationArn: pulumi.Input<string>,
): aws.lambda.FunctionEventInvokeConfig {
  return new aws.lambda.FunctionEventInvokeConfig(
    name,
    {
      functionName: fn.name,
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: destinationArn } },
    },
    { parent },
  );
}

/** Lets EventBridge Scheduler invoke `fn` with `input` on `scheduleExpression`, failures to `deadLetterArn`. */
export function scheduleFunction(
  name: string,
  parent: pulumi.Resource,
  args: {
    description: string;
    scheduleExpression: string;
    fn: aws.lambda.Function;
    input: object;
    deadLetterArn: pulumi.Input<string>;
    deadLetterKeyArn: pulumi.Input<string>;
    account: pulumi.Output<AwsAccount>;
  },
): aws.scheduler.Schedule {
  const role = new aws.iam.Role(
    name,
    {
      description: `EventBridge Scheduler: ${args.description}`,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "scheduler.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": args.account.accountId } },
          },
        ],
      }),
      inlinePolicies: [
        {
          name: "invoke",
          policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              { Sid: "Invoke", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: args.fn.arn },
              { Sid: "DeadLetters", Effect: "Allow", Action: "sqs:SendMessage", Resource: args.deadLetterArn },
              {
                Sid: "EncryptDeadLetters",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: args.deadLetterKeyArn,
              },
            ],
          }),
        },
      ],
    },
    { parent },
  );
  return new aws.scheduler.Schedule(
    name,
    {
      description: args.description,
      scheduleExpression: args.scheduleExpression,
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: args.fn.arn,
        roleArn: role.arn,
        input: JSON.stringify(args.input),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: args.deadLetterArn },
      },
    },
    { parent },
  );
}
