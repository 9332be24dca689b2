import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContainerImage, ContainerImageArgs, contentTag } from "../../../components/workloads/container-image";
import { valueOf } from "../../../infra/offline/engine";
import { Registered, registered } from "../../support/offline";

function buildContext(): string {
  const dir = mkdtempSync(join(tmpdir(), "loglake-image-"));
  writeFileSync(join(dir, "Dockerfile"), "FROM scratch\nCOPY app /app\n");
  mkdirSync(join(dir, "app"));
  writeFileSync(join(dir, "app", "main.js"), "console.log(1)\n");
  writeFileSync(join(dir, "README.md"), "not copied\n");
  return dir;
}

const args = (context: string, change: Partial<ContainerImageArgs> = {}): ContainerImageArgs => ({
  context,
  contentPaths: ["app"],
  kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/images",
  ...change,
});

describe("ContainerImage", () => {
  const context = buildContext();
  let resources: Registered;
  let image: ContainerImage;
  before(async () => {
    ({ resources, result: image } = await registered(() => new ContainerImage("acme-writer", args(context))));
  });

  it("keeps images in a repository with immutable tags, scan on push and the images key", () => {
    const repository = resources.get("aws:ecr/repository:Repository", "acme-writer");
    assert.equal(repository.inputs.imageTagMutability, "IMMUTABLE");
    assert.deepEqual(repository.inputs.imageScanningConfiguration, { scanOnPush: true });
    assert.deepEqual(repository.inputs.encryptionConfigurations, [
      { encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:123456789012:key/images" },
    ]);
  });

  it("expires all but the newest 20 images by default", () => {
    const lifecycle = resources.get("aws:ecr/lifecyclePolicy:LifecyclePolicy", "acme-writer");
    const [rule] = JSON.parse(lifecycle.inputs.policy as string).rules;
    assert.deepEqual(rule.selection, { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 20 });
  });

  it("builds for the nodes' x86_64 AMI under a tag made of what the Dockerfile copies", async () => {
    const built = resources.get("awsx:ecr:Image", "acme-writer");
    assert.equal(built.inputs.platform, "linux/amd64");
    assert.equal(built.inputs.imageTag, contentTag(context, ["Dockerfile", "app"]));
    assert.match(await valueOf(image.imageUri), /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/.+:[0-9a-f]{16}@sha256:/);
  });

  it("changes the tag when a copied file or a build argument changes, and only then", () => {
    const dir = buildContext();
    const before = contentTag(dir, ["Dockerfile", "app"]);
    writeFileSync(join(dir, "README.md"), "edited\n");
    assert.equal(contentTag(dir, ["Dockerfile", "app"]), before, "a file the image does not copy changed the tag");
    writeFileSync(join(dir, "app", "main.js"), "console.log(2)\n");
    const edited = contentTag(dir, ["Dockerfile", "app"]);
    assert.notEqual(edited, before);
    assert.notEqual(contentTag(dir, ["Dockerfile", "app"], { NODE: "24" }), edited);
  });

  it("hands the stack's AWS provider to the awsx image, which as a remote component does not inherit it", async () => {
    const { resources: built } = await registered(() => {
      const provider = new aws.Provider("stack", { region: "eu-central-1" });
      return new ContainerImage("acme-writer", args(context), { providers: { aws: provider } });
    });
    const provider = built.get("pulumi:providers:aws", "stack");
    const pushed = built.get("awsx:ecr:Image", "acme-writer");
    assert.ok(
      pushed.options.providers.aws?.startsWith(`${provider.urn}::`),
      `image providers: ${JSON.stringify(pushed.options.providers)}`,
    );
  });

  it("refuses a keep count ECR cannot hold and an image that copies nothing", async () => {
    await assert.rejects(
      registered(() => new ContainerImage("bad", args(context, { keepImages: 0 }))),
      /keepImages = 0: ECR keeps a whole number from 1 to 1000/,
    );
    await assert.rejects(
      registered(() => new ContainerImage("bad", args(context, { contentPaths: [] }))),
      /contentPaths is empty/,
    );
  });
});
