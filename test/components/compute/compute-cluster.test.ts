import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ComputeCluster, ComputeClusterArgs } from "../../../components/compute/compute-cluster";
import { describeOnlyOnAnyResource } from "../../../components/compute/policies";
import { RegisteredResource, valueOf } from "../../../infra/offline/engine";
import { policyOf, PolicyStatement, present, Registered, registered } from "../../support/offline";

const account = "123456789012";
const keyArn = (id: string) => `arn:aws:kms:eu-west-1:${account}:key/${id}`;
const subnets = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"];

const baseArgs: ComputeClusterArgs = {
  clusterName: "acme-prod",
  vpcId: "vpc-0123456789abcdef0",
  privateSubnetIds: subnets,
  secretsKmsKeyArn: keyArn("cluster-secrets"),
  logsKmsKeyArn: keyArn("logs"),
  storage: {
    rawBucketArn: "arn:aws:s3:::acme-raw",
    lakeBucketArn: "arn:aws:s3:::acme-lake",
    lakeKeyArn: keyArn("lake"),
  },
};

interface Run {
  resources: Registered;
  result: ComputeCluster;
}

const runs = new Map<string, Promise<Run>>();
/** One offline run per distinct set of args: the runtime is process-global, so tests share runs. */
function run(change: Partial<ComputeClusterArgs> = {}): Promise<Run> {
  const key = JSON.stringify(change);
  if (!runs.has(key))
    runs.set(
      key,
      registered(() => new ComputeCluster("lake", { ...baseArgs, ...change })),
    );
  return runs.get(key)!;
}

const cluster = (r: Registered) => r.get("eks:index:Cluster", "lake");
const nodeGroup = (r: Registered, pool: string) => r.get("eks:index:ManagedNodeGroup", `lake-${pool}`);
const launchTemplate = (r: Registered, pool: string) => r.get("aws:ec2/launchTemplate:LaunchTemplate", `lake-${pool}`);
/** An input as registered, read as the shape the test expects (the assertions check it). */
const input = <T = unknown>(resource: RegisteredResource, key: string): T => resource.inputs[key] as T;
type Tag = { key: string; value: string; propagateAtLaunch: boolean };

/** Every action of every statement, as a list. */
const actionsOf = (statement: PolicyStatement): string[] => [statement.Action].flat();

function refusal(change: Partial<ComputeClusterArgs>): string {
  try {
    new ComputeCluster("lake", { ...baseArgs, ...change });
  } catch (err) {
    return String(err);
  }
  assert.fail(`accepted ${JSON.stringify(change)}`);
}

describe("ComputeCluster", () => {
  describe("control plane", () => {
    it("keeps the API endpoint private by default", async () => {
      const { resources } = await run();
      const eks = cluster(resources);
      assert.equal(input(eks, "endpointPrivateAccess"), true);
      assert.equal(input(eks, "endpointPublicAccess"), false);
      assert.equal(input(eks, "publicAccessCidrs"), undefined);
    });

    it("opens the public endpoint only to an explicit allow-list", async () => {
      const { resources } = await run({ publicAccessCidrs: ["203.0.113.0/24"] });
      const eks = cluster(resources);
      assert.equal(input(eks, "endpointPublicAccess"), true);
      assert.deepEqual(input(eks, "publicAccessCidrs"), ["203.0.113.0/24"]);
      assert.equal(input(eks, "endpointPrivateAccess"), true);
    });

    it("encrypts Kubernetes secrets with the cluster-secrets key", async () => {
      const { resources } = await run();
      assert.equal(input(cluster(resources), "encryptionConfigKeyArn"), keyArn("cluster-secrets"));
    });

    it("authenticates through access entries only (no aws-auth ConfigMap), with an OIDC provider and no default node group", async () => {
      const eks = cluster((await run()).resources);
      assert.equal(input(eks, "authenticationMode"), "API");
      assert.equal(input(eks, "roleMappings"), undefined);
      assert.equal(input(eks, "userMappings"), undefined);
      assert.equal(input(eks, "createOidcProvider"), true);
      assert.equal(input(eks, "skipDefaultNodeGroup"), true);
    });

    it("runs the default Kubernetes version on standard support, with deletion protection", async () => {
      const eks = cluster((await run()).resources);
      assert.equal(input(eks, "version"), "1.36");
      assert.deepEqual(input(eks, "upgradePolicy"), { supportType: "STANDARD" });
      assert.equal(input(eks, "deletionProtection"), true);
    });

    it("sends api, audit and authenticator logs to the log group it creates first, KMS-encrypted and kept", async () => {
      const { resources } = await run({ controlPlaneLogRetentionDays: 400 });
      const eks = cluster(resources);
      const logGroup = resources.get("aws:cloudwatch/logGroup:LogGroup", "lake-control-plane");
      assert.deepEqual(input(eks, "enabledClusterLogTypes"), ["api", "audit", "authenticator"]);
      assert.equal(input(eks, "name"), "acme-prod");
      assert.equal(input(logGroup, "name"), "/aws/eks/acme-prod/cluster");
      assert.equal(input(logGroup, "kmsKeyId"), keyArn("logs"));
      assert.equal(input(logGroup, "retentionInDays"), 400);
      assert.ok(
        eks.options.dependsOn.includes(logGroup.urn),
        "the cluster does not wait for its log group, so EKS could create it unencrypted",
      );
    });

    it("gives the admin role cluster-admin through an access entry, and no one else by default", async () => {
      assert.equal(input(cluster((await run()).resources), "accessEntries"), undefined);
      const principalArn = `arn:aws:iam::${account}:role/platform-admin`;
      const entries = input(cluster((await run({ adminPrincipalArn: principalArn })).resources), "accessEntries");
      assert.deepEqual(entries, {
        admin: {
          principalArn,
          accessPolicies: {
            clusterAdmin: {
              policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
              accessScope: { type: "cluster" },
            },
          },
        },
      });
    });

    it("names the access policy in the admin role's partition, as EKS does outside the aws partition", async () => {
      const principalArn = `arn:aws-us-gov:iam::${account}:role/platform-admin`;
      const entries = input<Record<string, { accessPolicies: Record<string, { policyArn: string }> }>>(
        cluster((await run({ adminPrincipalArn: principalArn })).resources),
        "accessEntries",
      );
      assert.equal(
        entries.admin.accessPolicies.clusterAdmin.policyArn,
        "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      );
    });

    it("registers nothing that needs the Kubernetes API, so `pulumi up` reaches a private-only cluster through AWS APIs alone", async () => {
      const { resources } = await run();
      const eks = cluster(resources);
      // pulumi-eks writes through its Kubernetes provider only for the aws-auth ConfigMap (CONFIG_MAP
      // modes) and storage classes; its VpcCniAddon configures the EKS managed add-on through AWS.
      assert.equal(input(eks, "authenticationMode"), "API");
      assert.equal(input(eks, "storageClasses"), undefined);
      assert.equal(
        (input(eks, "vpcCniOptions") as { enableNetworkPolicy?: boolean }).enableNetworkPolicy,
        true,
        "NetworkPolicies are enforced",
      );
      assert.equal(input(eks, "useDefaultVpcCni"), false);
      assert.deepEqual(
        resources.all.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.type),
        [],
      );
    });
  });

  describe("refuses", () => {
    const cases: [string, Partial<ComputeClusterArgs>, RegExp][] = [
      [
        "a Kubernetes version EKS does not offer",
        { kubernetesVersion: "1.29" },
        /kubernetesVersion: EKS offers Kubernetes 1\.36/,
      ],
      [
        "a public endpoint open to 0.0.0.0/0",
        { publicAccessCidrs: ["0.0.0.0/0"] },
        /publicAccessCidrs\[0\]: 0\.0\.0\.0\/0 opens the API endpoint to the whole internet/,
      ],
      [
        "a public endpoint open to ::/0",
        { publicAccessCidrs: ["203.0.113.0/24", "::/0"] },
        /publicAccessCidrs\[1\]: ::\/0 opens/,
      ],
      ["a cluster name EKS would reject", { clusterName: "acme prod" }, /clusterName: "acme prod": 1 to 100 letters/],
      [
        "control-plane logs without audit",
        { controlPlaneLogTypes: ["api", "authenticator"] },
        /controlPlaneLogTypes: must include audit/,
      ],
      [
        "Spark types of different shapes",
        { spark: { instanceTypes: ["m6i.2xlarge", "m6i.xlarge"] } },
        /spark\.instanceTypes: one shape/,
      ],
      ["a system pool without nodes", { system: { minSize: 0 } }, /system\.minSize: at least 1/],
    ];
    for (const [what, change, message] of cases) {
      it(what, () => assert.match(refusal(change), message));
    }

    it("before registering anything", async () => {
      const { resources } = await registered(() => {
        assert.throws(() => new ComputeCluster("lake", { ...baseArgs, publicAccessCidrs: ["0.0.0.0/0"] }));
      });
      assert.deepEqual(
        resources.all.filter((r) => r.type !== "pulumi:pulumi:Stack"),
        [],
      );
    });
  });

  describe("node groups", () => {
    it("runs system nodes on demand, from minSize, over every private subnet", async () => {
      const group = nodeGroup(
        (await run({ system: { instanceType: "m6i.xlarge", minSize: 2, maxSize: 6 } })).resources,
        "system",
      );
      assert.equal(input(group, "capacityType"), "ON_DEMAND");
      assert.deepEqual(input(group, "instanceTypes"), ["m6i.xlarge"]);
      assert.deepEqual(input(group, "scalingConfig"), { minSize: 2, maxSize: 6, desiredSize: 2 });
      assert.deepEqual(input(group, "subnetIds"), subnets);
      assert.deepEqual(input(group, "labels"), { "loglake.io/pool": "system" });
      assert.deepEqual(input(group, "taints"), []);
    });

    it("runs Spark executors on Spot over several types of one shape, from zero, labelled and tainted", async () => {
      const group = nodeGroup((await run({ spark: { maxSize: 50 } })).resources, "spark");
      assert.equal(input(group, "capacityType"), "SPOT");
      assert.deepEqual(input(group, "instanceTypes"), ["m6i.2xlarge", "m6a.2xlarge", "m5.2xlarge", "m7i.2xlarge"]);
      assert.deepEqual(input(group, "scalingConfig"), { minSize: 0, maxSize: 50, desiredSize: 0 });
      assert.deepEqual(input(group, "subnetIds"), subnets);
      assert.deepEqual(input(group, "labels"), { "loglake.io/pool": "spark" });
      assert.deepEqual(input(group, "taints"), [{ key: "loglake.io/pool", value: "spark", effect: "NO_SCHEDULE" }]);
    });

    it("leaves the desired size to the autoscaler and tracks the control-plane version on AL2023", async () => {
      const { resources } = await run();
      for (const pool of ["system", "spark"]) {
        const group = nodeGroup(resources, pool);
        assert.equal(
          input(group, "ignoreScalingChanges"),
          true,
          `${pool}: Pulumi would reset the autoscaler's desired size`,
        );
        assert.equal(input(group, "version"), "1.36", pool);
        assert.equal(input(group, "amiType"), "AL2023_x86_64_STANDARD", pool);
      }
    });

    it("launches every node from its own launch template: IMDSv2 only with one hop, encrypted gp3 root volume", async () => {
      const { resources } = await run({ spark: { rootVolumeSizeGiB: 200 } });
      for (const [pool, size] of [
        ["system", 50],
        ["spark", 200],
      ] as const) {
        const template = launchTemplate(resources, pool);
        assert.deepEqual(
          input(template, "metadataOptions"),
          { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
          pool,
        );
        assert.deepEqual(
          input(template, "blockDeviceMappings"),
          [
            {
              deviceName: "/dev/xvda",
              ebs: {
                volumeType: "gp3",
                volumeSize: size,
                encrypted: "true",
                kmsKeyId: keyArn("cluster-secrets"),
                deleteOnTermination: "true",
              },
            },
          ],
          pool,
        );
        const used = input<{ id: string; version: string }>(nodeGroup(resources, pool), "launchTemplate");
        assert.match(used.id, new RegExp(`^lake-${pool}-`), `${pool} node group does not use its launch template`);
        assert.equal(used.version, "1");
      }
    });

    it("attaches the node security group and EKS's cluster security group, so nodes still reach the control plane", async () => {
      const { resources, result } = await run();
      const nodeSg = resources.get("aws:ec2/securityGroup:SecurityGroup", "lake-nodes");
      const clusterSg = await valueOf(result.clusterSecurityGroupId);
      assert.match(clusterSg, /^sg-/);
      for (const pool of ["system", "spark"]) {
        assert.deepEqual(
          input(launchTemplate(resources, pool), "vpcSecurityGroupIds"),
          [await valueOf(result.nodeSecurityGroupId), clusterSg],
          pool,
        );
      }
      assert.equal(input(nodeSg, "vpcId"), baseArgs.vpcId);
      assert.equal(input(nodeSg, "ingress"), undefined, "the node group admits nothing by itself");
    });

    it("encrypts node volumes with a dedicated key when given one", async () => {
      const { resources } = await run({ nodeVolumeKmsKeyArn: keyArn("ebs") });
      assert.equal(
        input<{ ebs: { kmsKeyId: string } }[]>(launchTemplate(resources, "spark"), "blockDeviceMappings")[0].ebs
          .kmsKeyId,
        keyArn("ebs"),
      );
      assert.equal(input(resources.get("aws:kms/grant:Grant", "lake-node-volumes"), "keyId"), keyArn("ebs"));
    });

    it("lets the Auto Scaling service-linked role use the volume key, or it could not launch nodes", async () => {
      const { resources } = await run();
      const grant = resources.get("aws:kms/grant:Grant", "lake-node-volumes");
      assert.equal(input(grant, "keyId"), keyArn("cluster-secrets"));
      assert.equal(
        input(grant, "granteePrincipal"),
        `arn:aws:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      );
      assert.deepEqual([...input<string[]>(grant, "operations")].sort(), [
        "CreateGrant",
        "Decrypt",
        "DescribeKey",
        "Encrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "ReEncryptFrom",
        "ReEncryptTo",
      ]);
      assert.deepEqual(resources.ofType("aws:iam/serviceLinkedRole:ServiceLinkedRole"), []);
    });

    it("installs the EBS CSI driver add-on after the node groups, its controller on the system nodes, with its IRSA role", async () => {
      const { resources, result } = await run();
      const addon = resources.get("aws:eks/addon:Addon", "lake-ebs-csi-driver");
      assert.equal(input(addon, "addonName"), "aws-ebs-csi-driver");
      assert.equal(input(addon, "serviceAccountRoleArn"), await valueOf(result.ebsCsiDriverRoleArn));
      assert.deepEqual(JSON.parse(input(addon, "configurationValues")), {
        controller: { nodeSelector: { "loglake.io/pool": "system" } },
      });
      const groups = resources.ofType("eks:index:ManagedNodeGroup").map((g) => g.urn);
      assert.equal(groups.length, 2);
      for (const group of groups)
        assert.ok(addon.options.dependsOn.includes(group), "the add-on waits for every node group");
      const attached = resources
        .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.name === "lake-ebs-csi-driver")
        .map((a) => input(a, "policyArn"));
      assert.deepEqual(attached, ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
    });

    it("lets the EBS CSI driver use only the volume key, only through EC2, and grant it only to AWS resources", async () => {
      for (const [change, key] of [
        [{}, keyArn("cluster-secrets")],
        [{ nodeVolumeKmsKeyArn: keyArn("ebs") }, keyArn("ebs")],
      ] as const) {
        const { resources, result } = await run(change);
        const statements = policyOf(
          resources.get("aws:iam/rolePolicy:RolePolicy", "lake-ebs-csi-volume-key"),
        ).Statement;
        assert.equal(await valueOf(result.volumeKmsKeyArn), key);
        for (const statement of statements) {
          assert.equal(statement.Resource, key);
          assert.deepEqual(statement.Condition?.StringEquals, { "kms:ViaService": "ec2.eu-west-1.amazonaws.com" });
        }
        const grants = present(
          statements.find((st) => [st.Action].flat().includes("kms:CreateGrant")),
          "the CreateGrant statement",
        );
        assert.deepEqual(grants.Condition?.Bool, { "kms:GrantIsForAWSResource": "true" });
      }
    });

    it("creates the Auto Scaling service-linked role only when asked", async () => {
      const { resources } = await run({ createAutoscalingServiceLinkedRole: true });
      const role = resources.get("aws:iam/serviceLinkedRole:ServiceLinkedRole", "lake-autoscaling");
      assert.equal(input(role, "awsServiceName"), "autoscaling.amazonaws.com");
    });

    it("tags each node group's auto scaling group for autoscaler discovery and scale-from-zero", async () => {
      const { resources } = await run();
      const tagsOn = (asgPrefix: string) =>
        Object.fromEntries(
          resources
            .ofType("aws:autoscaling/tag:Tag")
            .filter((t) => String(input(t, "autoscalingGroupName")).startsWith(asgPrefix))
            .map((t) => [input<Tag>(t, "tag").key, input<Tag>(t, "tag").value]),
        );
      const spark = tagsOn("eks-lake-spark-");
      assert.deepEqual(spark, {
        "k8s.io/cluster-autoscaler/enabled": "true",
        "k8s.io/cluster-autoscaler/acme-prod": "owned",
        "k8s.io/cluster-autoscaler/node-template/label/loglake.io/pool": "spark",
        "k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/capacityType": "SPOT",
        "k8s.io/cluster-autoscaler/node-template/taint/loglake.io/pool": "spark:NoSchedule",
      });
      assert.equal(
        tagsOn("eks-lake-system-")["k8s.io/cluster-autoscaler/node-template/label/loglake.io/pool"],
        "system",
      );
      for (const tag of resources.ofType("aws:autoscaling/tag:Tag"))
        assert.equal(input<Tag>(tag, "tag").propagateAtLaunch, false);
    });
  });

  describe("IAM", () => {
    it("gives nodes a role EC2 assumes with the worker, CNI and image-pull policies, SSM only when asked", async () => {
      const policiesOf = (r: Registered) =>
        r
          .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
          .filter((a) => a.name.startsWith("lake-node-"))
          .map((a) => String(input(a, "policyArn")).replace("arn:aws:iam::aws:policy/", ""));
      const { resources } = await run();
      assert.deepEqual(
        policyOf(resources.get("aws:iam/role:Role", "lake-node"), "assumeRolePolicy").Statement[0].Principal,
        { Service: "ec2.amazonaws.com" },
      );
      assert.deepEqual(policiesOf(resources).sort(), [
        "AmazonEC2ContainerRegistryPullOnly",
        "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy",
      ]);
      assert.ok(policiesOf((await run({ nodeSsmAccess: true })).resources).includes("AmazonSSMManagedInstanceCore"));
    });

    const irsaRoles: [string, string][] = [
      ["lake-spark", "system:serviceaccount:spark:spark"],
      ["lake-cluster-autoscaler", "system:serviceaccount:kube-system:cluster-autoscaler"],
      ["lake-hive-metastore", "system:serviceaccount:hive:hive-metastore"],
      ["lake-ebs-csi-driver", "system:serviceaccount:kube-system:ebs-csi-controller-sa"],
    ];
    for (const [roleName, subject] of irsaRoles) {
      it(`lets only ${subject} assume ${roleName}, through the cluster's OIDC provider for STS`, async () => {
        const { resources, result } = await run();
        const trust = policyOf(resources.get("aws:iam/role:Role", roleName), "assumeRolePolicy");
        const issuer = (await valueOf(result.oidcProviderUrl)).replace("https://", "");
        assert.deepEqual(trust.Statement, [
          {
            Sid: "ServiceAccountViaClusterOidc",
            Effect: "Allow",
            Principal: { Federated: await valueOf(result.oidcProviderArn) },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { [`${issuer}:sub`]: subject, [`${issuer}:aud`]: "sts.amazonaws.com" } },
          },
        ]);
      });
    }

    it("pins the trust to the service accounts it is given", async () => {
      const { resources } = await run({ serviceAccounts: { spark: { namespace: "jobs", name: "spark-executor" } } });
      const condition = present(
        policyOf(resources.get("aws:iam/role:Role", "lake-spark"), "assumeRolePolicy").Statement[0].Condition,
        "trust condition",
      ).StringEquals;
      assert.ok(
        Object.values(condition).includes("system:serviceaccount:jobs:spark-executor"),
        JSON.stringify(condition),
      );
    });

    it("exposes the service account the lake writer's role trusts, for the pods that assume it", async () => {
      const lakeWriter = { namespace: "ingest", name: "writer" };
      const { resources, result } = await run({ serviceAccounts: { lakeWriter } });
      assert.deepEqual(result.lakeWriterServiceAccount, lakeWriter);
      const trust = policyOf(resources.get("aws:iam/role:Role", "lake-lake-writer"), "assumeRolePolicy");
      assert.match(JSON.stringify(trust), /system:serviceaccount:ingest:writer/);
    });

    it("names no wildcard action in any policy it writes", async () => {
      const { resources } = await run();
      for (const policy of resources.ofType("aws:iam/rolePolicy:RolePolicy")) {
        for (const statement of policyOf(policy).Statement) {
          for (const action of actionsOf(statement)) assert.ok(!action.includes("*"), `${policy.name}: ${action}`);
        }
      }
    });

    it("lets Spark read raw, read and write only below the lake prefixes, and use the lake key only through S3", async () => {
      const { resources } = await run({
        storage: { ...baseArgs.storage, lakePrefixes: ["warehouse/", "checkpoints/"] },
      });
      const statements = policyOf(resources.get("aws:iam/rolePolicy:RolePolicy", "lake-spark-storage")).Statement;
      const sid = (id: string) =>
        present(
          statements.find((s) => s.Sid === id),
          `statement ${id}`,
        );
      assert.deepEqual(sid("ReadRaw"), {
        Sid: "ReadRaw",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::acme-raw/*",
      });
      assert.deepEqual(sid("ReadWriteLakePrefixes").Resource, [
        "arn:aws:s3:::acme-lake/warehouse/*",
        "arn:aws:s3:::acme-lake/checkpoints/*",
      ]);
      assert.deepEqual(sid("ListLakePrefixes").Condition, {
        StringLike: { "s3:prefix": ["warehouse/*", "warehouse", "checkpoints/*", "checkpoints"] },
      });
      assert.deepEqual(sid("LakeKeyThroughS3"), {
        Sid: "LakeKeyThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: keyArn("lake"),
        Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
      });
      const writes = statements.filter((s) => actionsOf(s).some((a) => /Put|Delete/.test(a)));
      assert.deepEqual(
        writes.map((s) => s.Sid),
        ["ReadWriteLakePrefixes"],
        "Spark may write outside the lake prefixes",
      );
      for (const statement of statements) assert.notEqual(statement.Resource, "*", statement.Sid);
    });

    it("lets the lake writer only write and read back below its raw prefix, trusted by its service account only", async () => {
      const { resources } = await run();
      const statements = policyOf(resources.get("aws:iam/rolePolicy:RolePolicy", "lake-lake-writer")).Statement;
      assert.deepEqual(statements[0], {
        Sid: "WriteRawPrefix",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject"],
        Resource: "arn:aws:s3:::acme-raw/raw/*",
      });
      assert.deepEqual(statements[1], {
        Sid: "CheckRawBucket",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: "arn:aws:s3:::acme-raw",
      });
      assert.deepEqual(statements[2].Condition, { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
      const trust = policyOf(resources.get("aws:iam/role:Role", "lake-lake-writer"), "assumeRolePolicy");
      assert.match(JSON.stringify(trust), /system:serviceaccount:loglake:lake-writer/);
      assert.match(
        refusal({ storage: { ...baseArgs.storage, rawPrefix: "/raw" } }),
        /storage\.rawPrefix: a key prefix such as raw\//,
      );
    });

    it("lets the autoscaler change only groups tagged as this cluster's, and describe what IAM grants only on *", async () => {
      const { resources } = await run();
      const statements = policyOf(resources.get("aws:iam/rolePolicy:RolePolicy", "lake-cluster-autoscaler")).Statement;
      const scaling = present(
        statements.find((s) => actionsOf(s).includes("autoscaling:SetDesiredCapacity")),
        "scaling statement",
      );
      assert.deepEqual(actionsOf(scaling).sort(), [
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
      ]);
      assert.equal(
        scaling.Resource,
        `arn:aws:autoscaling:eu-west-1:${account}:autoScalingGroup:*:autoScalingGroupName/*`,
      );
      assert.deepEqual(scaling.Condition, {
        StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/acme-prod": "owned" },
      });
      const nodegroups = present(
        statements.find((s) => actionsOf(s).includes("eks:DescribeNodegroup")),
        "node group statement",
      );
      assert.equal(nodegroups.Resource, `arn:aws:eks:eu-west-1:${account}:nodegroup/acme-prod/*/*`);
      for (const statement of statements.filter((s) => s.Resource === "*")) {
        for (const action of actionsOf(statement))
          assert.ok(describeOnlyOnAnyResource.includes(action), `${action} is granted on *`);
      }
    });
  });

  describe("outputs", () => {
    it("exposes the cluster, its OIDC provider, security groups and role ARNs and names", async () => {
      const { result } = await run();
      assert.equal(await valueOf(result.clusterName), "acme-prod");
      assert.match(
        await valueOf(result.oidcProviderArn),
        new RegExp(`^arn:aws:iam::${account}:oidc-provider/oidc\\.eks\\.eu-west-1\\.amazonaws\\.com/id/`),
      );
      assert.match(await valueOf(result.oidcProviderUrl), /^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\//);
      assert.match(await valueOf(result.nodeSecurityGroupId), /^sg-/);
      assert.equal(await valueOf(result.controlPlaneLogGroupName), "/aws/eks/acme-prod/cluster");
      for (const [arn, roleName] of [
        [result.sparkRoleArn, result.sparkRoleName],
        [result.clusterAutoscalerRoleArn, result.clusterAutoscalerRoleName],
        [result.hiveMetastoreRoleArn, result.hiveMetastoreRoleName],
        [result.nodeRoleArn, result.nodeRoleName],
      ]) {
        assert.equal(await valueOf(arn), `arn:aws:iam::${account}:role/${await valueOf(roleName)}`);
      }
    });

    it("keeps the kubeconfig secret", async () => {
      const { result } = await run();
      assert.equal(await pulumi.isSecret(result.kubeconfig), true);
      assert.match(await valueOf(result.kubeconfig), /eks","get-token","--cluster-name","acme-prod"/);
    });

    it("parents every resource under the component", async () => {
      const { resources } = await run();
      const component = resources.get("loglake:compute:ComputeCluster", "lake");
      const others = resources.all.filter((r) => r !== component && r.type !== "pulumi:pulumi:Stack");
      for (const resource of others) assert.equal(resource.parent, component.urn, `${resource.type} ${resource.name}`);
    });
  });
});
