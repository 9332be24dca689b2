import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { remoteChildOptions } from "../remote-options";

export interface ContainerImageArgs {
  /** Absolute path of the Docker build context. */
  context: string;
  /** The Dockerfile, relative to `context`. Default: `Dockerfile`. */
  dockerfile?: string;
  /**
   * Files and folders, relative to `context`, that the Dockerfile copies from. Their contents (and the
   * Dockerfile's) make the image tag, so a change to them is a new tag and anything else is not a rebuild.
   */
  contentPaths: string[];
  /** KMS key encrypting the repository's layers (Keys' `imagesKeyArn`). */
  kmsKeyArn: pulumi.Input<string>;
  /** Build arguments (`ARG`), which are part of the tag too. Default: none. */
  buildArgs?: Record<string, string>;
  /** Images kept in the repository; older ones expire. ECR allows 1 to 1,000. Default: 20. */
  keepImages?: number;
  /** Build platform, matching the nodes' AMI (AL2023 x86_64). Default: `linux/amd64`. */
  platform?: string;
}

/** Every file under `paths` (relative to `root`), sorted, skipping what a Docker context never carries. */
function contentFiles(root: string, paths: string[]): string[] {
  const skipped = new Set(["node_modules", ".git", "__pycache__"]);
  const walk = (path: string): string[] =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((entry) => !skipped.has(entry))
          .flatMap((entry) => walk(join(path, entry)))
      : [path];
  return [...new Set(paths.flatMap((path) => walk(join(root, path))))].sort();
}

/** The tag of an image built from these files and build arguments: the first 16 hex digits of their SHA-256. */
export function contentTag(context: string, paths: string[], buildArgs: Record<string, string> = {}): string {
  const hash = createHash("sha256");
  for (const file of contentFiles(context, paths)) {
    hash.update(relative(context, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  for (const [key, value] of Object.entries(buildArgs).sort()) hash.update(`${key}=${value}\0`);
  return hash.digest("hex").slice(0, 16);
}

/**
 * A private ECR repository (immutable tags, scan on push, KMS-encrypted layers, old images expired) and
 * one image built into it at deploy time, tagged by its content hash: a running pod's tag always means
 * the same bytes, and an unchanged build is not pushed again.
 */
export class ContainerImage extends pulumi.ComponentResource {
  public readonly repositoryUrl: pulumi.Output<string>;
  public readonly repositoryArn: pulumi.Output<string>;
  /** `<repository>:<tag>@sha256:<digest>`: what a pod spec pulls. */
  public readonly imageUri: pulumi.Output<string>;
  public readonly tag: string;

  constructor(name: string, args: ContainerImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("loglake:workloads:ContainerImage", name, {}, opts);
    const keepImages = args.keepImages ?? 20;
    if (!Number.isInteger(keepImages) || keepImages < 1 || keepImages > 1000) {
      throw new Error(`ContainerImage ${name}: keepImages = ${keepImages}: ECR keeps a whole number from 1 to 1000`);
    }
    if (args.contentPaths.length === 0) {
      throw new Error(`ContainerImage ${name}: contentPaths is empty: name what the Dockerfile copies`);
    }
    const dockerfile = args.dockerfile ?? "Dockerfile";

    const repository = new aws.ecr.Repository(
      name,
      {
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
      },
      { parent: this },
    );
    new aws.ecr.LifecyclePolicy(
      name,
      {
        repository: repository.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: `keep the ${keepImages} newest images`,
              selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keepImages },
              action: { type: "expire" },
            },
          ],
        }),
      },
      { parent: this },
    );

    this.tag = contentTag(args.context, [dockerfile, ...args.contentPaths], args.buildArgs);
    const image = new awsx.ecr.Image(
      name,
      {
        repositoryUrl: repository.repositoryUrl,
        context: args.context,
        dockerfile: join(args.context, dockerfile),
        platform: args.platform ?? "linux/amd64",
        imageTag: this.tag,
        args: args.buildArgs,
      },
      remoteChildOptions(this),
    );

    this.repositoryUrl = repository.repositoryUrl;
    this.repositoryArn = repository.arn;
    this.imageUri = image.imageUri;
    this.registerOutputs({ repositoryUrl: this.repositoryUrl, imageUri: this.imageUri });
  }
}
