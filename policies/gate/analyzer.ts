import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { GateResource } from "./resources";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

const LEVELS: Record<number, EnforcementLevel> = {
  [pb.EnforcementLevel.ADVISORY]: "advisory",
  [pb.EnforcementLevel.MANDATORY]: "mandatory",
  [pb.EnforcementLevel.DISABLED]: "disabled",
  [pb.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_CODES = Object.fromEntries(Object.entries(LEVELS).map(([code, level]) => [level, Number(code)])) as Record<
  EnforcementLevel,
  number
>;

/** A policy as the pack describes itself (GetAnalyzerInfo). */
export interface PolicyInfo {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  kind: "resource" | "stack";
  configSchema?: { properties: Record<string, JavaScriptValue>; required: string[] };
}

export interface PackInfo {
  name: string;
  version: string;
  policies: PolicyInfo[];
}

/** One policy's effective settings, as the CLI sends them in Configure. */
export interface PolicySettings {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  urn?: string;
}

/** The sentinel the engine sends for values not known until the update runs. */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Plain JSON for a Struct; the offline engine's "[unknown]" placeholder becomes the engine's unknown sentinel. */
function toStruct(value: Record<string, unknown>): Struct {
  const json = JSON.stringify(value, (_key, v) => (v === "[unknown]" ? UNKNOWN_SENTINEL : v));
  return Struct.fromJavaScript(JSON.parse(json));
}

const EXIT_WITH_PARENT = 'data:text/javascript,process.stdin.on("end",()=>process.exit(0)).resume()';

/** The `pulumi` SDK entry point the Pulumi CLI's Node.js language host runs policy packs with. */
const RUN_POLICY_PACK = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");

/**
 * A policy pack running as an analyzer plugin, started the way the Pulumi CLI starts a Node.js pack:
 * `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> <pack-dir>` with the pack directory
 * as working directory, then a gRPC connection to the port the pack prints on its first line.
 */
export class PolicyAnalyzer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: AnalyzerClient,
    private readonly stderr: string[],
  ) {}

  static async start(packDir: string, options: { timeoutMs?: number } = {}): Promise<PolicyAnalyzer> {
    const cwd = path.resolve(packDir);
    // No engine runs here; the pack does not dial the address, it only expects the argument.
    // The preloaded watchdog ends the pack when our end of its stdin closes, so a killed gate or
    // test run cannot leave a gRPC server behind (the CLI kills its plugins the same way on exit).
    const child = spawn(process.execPath, ["--import", EXIT_WITH_PARENT, RUN_POLICY_PACK, "127.0.0.1:0", "."], {
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stderr: string[] = [];
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new Error(`policy pack ${cwd} printed no port within ${options.timeoutMs ?? 60000} ms`)),
        options.timeoutMs ?? 60000,
      );
      const lines = readline.createInterface({ input: child.stdout! });
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill();
        reject(new Error(`${error.message}\n${stderr.join("")}`.trim()));
      };
      lines.once("line", (line) => {
        clearTimeout(timer);
        const port = Number(line.trim());
        if (Number.isInteger(port) && port > 0) resolve(port);
        else fail(new Error(`policy pack ${cwd} printed "${line}" instead of its port`));
      });
      child.once("exit", (code) =>
        fail(new Error(`policy pack ${cwd} exited with code ${code} before printing its port`)),
      );
      child.once("error", fail);
    });
    child.removeAllListeners("exit");
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
    });
    return new PolicyAnalyzer(child, client, stderr);
  }

  /** Calls one unary method, adding what the pack printed on stderr to a failure. */
  private call<Req, Res>(
    method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
    request: Req,
  ): Promise<Res> {
    return new Promise((resolve, reject) =>
      method.call(this.client, request, (err, res) =>
        err ? reject(new Error(`${err.details || err.message}\n${this.stderr.join("")}`.trim())) : resolve(res),
      ),
    );
  }

  async info(): Promise<PackInfo> {
    const info = await this.call<Empty, pb.AnalyzerInfo>(this.client.getAnalyzerInfo, new Empty());
    return {
      name: info.getName(),
      version: info.getVersion(),
      policies: info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        return {
          name: p.getName(),
          description: p.getDescription(),
          enforcementLevel: LEVELS[p.getEnforcementlevel()],
          kind: p.getPolicyType() === pb.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
          configSchema: schema && {
            properties: schema.getProperties()?.toJavaScript() ?? {},
            required: schema.getRequiredList(),
          },
        };
      }),
    };
  }

  /** Sends every policy's level and properties, as the CLI does after validating the pack config. */
  async configure(settings: Record<string, PolicySettings>): Promise<void> {
    const request = new pb.ConfigureAnalyzerRequest();
    for (const [name, s] of Object.entries(settings)) {
      const config = new pb.PolicyConfig();
      config.setEnforcementlevel(LEVEL_CODES[s.enforcementLevel]);
      config.setProperties(Struct.fromJavaScript(s.properties as Record<string, JavaScriptValue>));
      request.getPolicyconfigMap().set(name, config);
    }
    await this.call(this.client.configure, request);
  }

  async configureStack(stack: {
    project: string;
    stack: string;
    organization?: string;
    dryRun: boolean;
  }): Promise<void> {
    const request = new pb.AnalyzerStackConfigureRequest();
    request.setProject(stack.project);
    request.setStack(stack.stack);
    request.setOrganization(stack.organization ?? "organization");
    request.setDryRun(stack.dryRun);
    await this.call(this.client.configureStack, request);
  }

  /** One resource, as the engine sends it before creating or updating it. */
  async analyze(resource: GateResource, providers: Map<string, GateResource>): Promise<Diagnostic[]> {
    const request = describeInto(new pb.AnalyzeRequest(), resource, providers);
    const response = await this.call<pb.AnalyzeRequest, pb.AnalyzeResponse>(this.client.analyze, request);
    return diagnosticsOf(response, resource.urn);
  }

  /** The whole graph, as the engine sends it once the program has registered everything. */
  async analyzeStack(resources: GateResource[], providers: Map<string, GateResource>): Promise<Diagnostic[]> {
    const request = new pb.AnalyzeStackRequest();
    request.setResourcesList(
      resources.map((r) => {
        const resource = describeInto(new pb.AnalyzerResource(), r, providers);
        if (r.parent) resource.setParent(r.parent);
        resource.setDependenciesList(r.dependencies);
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
          const deps = new pb.AnalyzerPropertyDependencies();
          deps.setUrnsList(urns);
          resource.getPropertydependenciesMap().set(key, deps);
        }
        return resource;
      }),
    );
    const response = await this.call<pb.AnalyzeStackRequest, pb.AnalyzeResponse>(this.client.analyzeStack, request);
    return diagnosticsOf(response);
  }

  /** Stops the pack process. */
  close(): void {
    this.client.close();
    this.child.stdin?.end();
    this.child.kill();
  }
}

/** The fields AnalyzeRequest and AnalyzerResource share. */
interface ResourceMessage {
  setType(value: string): unknown;
  setName(value: string): unknown;
  setUrn(value: string): unknown;
  setProperties(value: Struct): unknown;
  setOptions(value: pb.AnalyzerResourceOptions): unknown;
  setProvider(value: pb.AnalyzerProviderResource): unknown;
}

function describeInto<M extends ResourceMessage>(
  message: M,
  resource: GateResource,
  providers: Map<string, GateResource>,
): M {
  message.setType(resource.type);
  message.setName(resource.name);
  message.setUrn(resource.urn);
  message.setProperties(toStruct(resource.props));
  message.setOptions(optionsOf(resource));
  const provider = providerOf(resource, providers);
  if (provider) message.setProvider(provider);
  return message;
}

function optionsOf(resource: GateResource): pb.AnalyzerResourceOptions {
  const options = new pb.AnalyzerResourceOptions();
  options.setProtect(resource.options.protect ?? false);
  options.setIgnorechangesList(resource.options.ignoreChanges ?? []);
  options.setAdditionalsecretoutputsList(resource.options.additionalSecretOutputs ?? []);
  if (resource.options.deleteBeforeReplace !== undefined) {
    options.setDeletebeforereplacedefined(true);
    options.setDeletebeforereplace(resource.options.deleteBeforeReplace);
  }
  if (resource.parent) options.setParent(resource.parent);
  return options;
}

/** The provider a resource is managed by (its `provider` reference is "<provider urn>::<id>"). */
function providerOf(
  resource: GateResource,
  providers: Map<string, GateResource>,
): pb.AnalyzerProviderResource | undefined {
  const ref = resource.provider;
  const provider = ref === undefined ? undefined : providers.get(ref.slice(0, ref.lastIndexOf("::")));
  if (!provider) return undefined;
  const message = new pb.AnalyzerProviderResource();
  message.setType(provider.type);
  message.setName(provider.name);
  message.setUrn(provider.urn);
  message.setProperties(toStruct(provider.props));
  return message;
}

function diagnosticsOf(response: pb.AnalyzeResponse, urn?: string): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    policyPackVersion: d.getPolicypackversion(),
    description: d.getDescription(),
    message: d.getMessage(),
    enforcementLevel: LEVELS[d.getEnforcementlevel()],
    urn: d.getUrn() || urn,
  }));
}
