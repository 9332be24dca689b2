import * as pulumi from "@pulumi/pulumi";
import type { Alias } from "@pulumi/pulumi/proto/alias_pb";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import { LoglakeMocks, MockOptions } from "./mocks";

// Internal SDK modules: the public API has no way to wait for the RPC queue or to reach the monitor.
const settings = require("@pulumi/pulumi/runtime/settings");
const rpc = require("@pulumi/pulumi/runtime/rpc");

/** One resource as the program registered it: inputs exactly as sent to the engine, secrets redacted. */
export interface RegisteredResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource, if any. */
  parent?: string;
  custom: boolean;
  /** Whether the resource is a remote (multi-language) component such as awsx.ec2.Vpc. */
  remote: boolean;
  inputs: Record<string, unknown>;
  options: {
    protect?: boolean;
    retainOnDelete?: boolean;
    dependsOn: string[];
    provider?: string;
    /** Providers by package, as components (and remote components) receive them. */
    providers: Record<string, string>;
    ignoreChanges: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs: string[];
    /** Where the resource was before a rename or move; the engine adopts it instead of replacing. */
    aliases?: RegisteredAlias[];
  };
}

/** An alias as the SDK sends it: a whole URN, or the name, type or parent that changed. */
export interface RegisteredAlias {
  urn?: string;
  name?: string;
  type?: string;
  parentUrn?: string;
  noParent?: boolean;
}

export interface OfflineRun<T> {
  stack: string;
  resources: RegisteredResource[];
  /** What the program returned (its stack outputs), with outputs still wrapped. */
  result: T;
}

export interface OfflineRunOptions<T> {
  stack: string;
  project?: string;
  /** Flat Pulumi config ("namespace:key" → string value), as the language host passes it. */
  config: Record<string, string>;
  /** Config keys whose values are secrets. */
  secretKeys?: string[];
  mocks: MockOptions;
  program: () => T;
}

const REDACTED = "[secret]";
const UNKNOWN = "[unknown]";

/** Turns the wire form of a property value into plain JSON, secrets redacted. */
function plain(value: unknown): unknown {
  if (value === rpc.unknownValue) return UNKNOWN;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const sig = obj[rpc.specialSigKey];
    if (sig === rpc.specialSecretSig) return REDACTED;
    if (sig === rpc.specialResourceSig) return { resource: obj.urn };
    if (sig === rpc.specialOutputValueSig) return "secret" in obj && obj.secret ? REDACTED : plain(obj.value);
    if (sig === rpc.specialAssetSig || sig === rpc.specialArchiveSig) return "[asset]";
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

let running = false;

/**
 * Runs a Pulumi program under the SDK's mock runtime (preview off, the documented unit-test path)
 * and records every resource registration with its options. Nothing is deployed and no AWS call is
 * made. One run at a time: the Pulumi runtime is process-global.
 */
export async function runOffline<T>(options: OfflineRunOptions<T>): Promise<OfflineRun<T>> {
  if (running) throw new Error("runOffline: another offline run is in progress in this process");
  running = true;
  let onUnhandled: ((reason: unknown) => void) | undefined;
  try {
    pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);
    await pulumi.runtime.setMocks(new LoglakeMocks(options.mocks), options.project ?? "loglake", options.stack, false);
    const resources: RegisteredResource[] = [];
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (
      req: RegisterResourceRequest,
      callback: (err: unknown, response: RegisterResourceResponse) => void,
    ) =>
      register(req, (err: unknown, response: RegisterResourceResponse) => {
        if (!err) resources.push(describe(req, response.getUrn()));
        callback(err, response);
      });
    let result!: T;
    // An error thrown inside an apply (a deploy-time check such as "subnets span one AZ") fails a real
    // deployment; here the registrations that wait on that output fail as unhandled rejections.
    // The first one fails the run.
    let fail!: (reason: unknown) => void;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    onUnhandled = (reason: unknown) => fail(reason);
    process.on("unhandledRejection", onUnhandled);
    const completed = (async () => {
      // The root Stack resource is what the Pulumi language host creates around a program; stack
      // transformations attach to it.
      await pulumi.runtime.runInPulumiStack(async () => {
        result = options.program();
        return result;
      });
      await settings.waitForRPCs();
      // Rejections are reported as unhandled only after the microtasks of the failed RPCs have run.
      await new Promise((resolve) => setImmediate(resolve));
    })();
    // Registrations waiting on a failed output may never finish, so the first failure ends the run;
    // the rejections that follow it are absorbed before the handler goes.
    await Promise.race([completed, failed]).catch(async (err) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw err;
    });
    return { stack: options.stack, resources, result };
  } finally {
    if (onUnhandled) process.off("unhandledRejection", onUnhandled);
    running = false;
  }
}

function describe(req: RegisterResourceRequest, urn: string): RegisteredResource {
  const protect = req.hasProtect?.() === false ? undefined : req.getProtect();
  const retainOnDelete = req.hasRetainondelete?.() === false ? undefined : req.getRetainondelete();
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent() || undefined,
    custom: req.getCustom(),
    remote: req.getRemote(),
    inputs: plain(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
    options: {
      protect: protect || undefined,
      retainOnDelete: retainOnDelete || undefined,
      dependsOn: req.getDependenciesList(),
      provider: req.getProvider() || undefined,
      providers: Object.fromEntries(req.getProvidersMap().toArray()),
      ignoreChanges: req.getIgnorechangesList(),
      deleteBeforeReplace: req.getDeletebeforereplace() || undefined,
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      aliases: registeredAliases(req),
    },
  };
}

/** The mocks' monitor takes alias specs, so an alias is a URN or the parts of one that changed. */
function registeredAliases(req: RegisterResourceRequest): RegisteredAlias[] | undefined {
  const aliases: RegisteredAlias[] = req.getAliasesList().map((alias: Alias) => {
    if (alias.hasUrn()) return { urn: alias.getUrn() };
    const spec = alias.getSpec();
    const parts: RegisteredAlias = {
      name: spec?.getName(),
      type: spec?.getType(),
      parentUrn: spec?.getParenturn(),
      noParent: spec?.getNoparent(),
    };
    // An empty field means "unchanged"; leave it out so the plan shows only what moved.
    return Object.fromEntries(Object.entries(parts).filter(([, value]) => value));
  });
  return aliases.length > 0 ? aliases : undefined;
}

/** Resolves an Output to its value (under mocks with preview off every output is known). */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}
