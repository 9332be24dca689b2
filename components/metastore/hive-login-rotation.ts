import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { refuseProblems } from "../shared/problems";

export interface HiveLoginRotationArgs {
  /** The Hive login's secret (Metastore's `hiveSecretArn`). */
  secretArn: pulumi.Input<string>;
  /** Its alternating-users rotation function (Metastore's `hiveRotationFunctionArn`). */
  rotationFunctionArn: pulumi.Input<string>;
  /** Days between rotations (Metastore's `rotationDays`), 1 to 1000. */
  rotationDays: number;
  /**
   * What has created the login in the database with the secret's password: HiveMetastore's
   * `bootstrapJob`, which completes only once it has. Secrets Manager tests a rotation the moment it
   * is configured, so configured any earlier the rotation would fail and raise the rotation alarm.
   */
  loginReady: pulumi.Input<pulumi.Resource>[];
}

/**
 * The Hive login's rotation, configured only after the login exists. It rotates at once: the first
 * password has been in Pulumi's state. Its own component because the login is made by a Kubernetes
 * Job that needs the Metastore's secrets, so the Metastore cannot wait for it itself.
 */
export class HiveLoginRotation extends pulumi.ComponentResource {
  public readonly secretArn: pulumi.Output<string>;

  constructor(name: string, args: HiveLoginRotationArgs, opts?: pulumi.ComponentResourceOptions) {
    const days = args.rotationDays;
    refuseProblems(
      "HiveLoginRotation",
      name,
      Number.isInteger(days) && days >= 1 && days <= 1000
        ? []
        : [{ path: ["rotationDays"], message: `${days}: Secrets Manager rotates every 1 to 1000 days` }],
    );
    super("loglake:metastore:HiveLoginRotation", name, {}, opts);
    const rotation = new aws.secretsmanager.SecretRotation(
      `${name}-hive-rotation`,
      {
        secretId: args.secretArn,
        rotationLambdaArn: args.rotationFunctionArn,
        rotationRules: { automaticallyAfterDays: days },
        rotateImmediately: true,
      },
      { parent: this, dependsOn: args.loginReady },
    );
    this.secretArn = rotation.secretId;
    this.registerOutputs({ secretArn: this.secretArn });
  }
}
