import * as fs from "node:fs";

/**
 * `npm run plan -- <stack> --diff <old plan JSON>`: what changes between two offline plans (two
 * `--json` documents), grouped by the component that holds each resource, for a terminal or as
 * Markdown for a pull-request comment.
 *
 * What an offline diff can know: a resource whose URN is new is added, one whose URN is gone is
 * removed, unless an alias of the new resource names the old one (then it moved, and Pulumi adopts
 * it instead of replacing it); a resource on both sides whose inputs or options differ is updated,
 * with the keys that changed. Whether an update replaces the resource is the provider's answer,
 * which needs AWS; the few inputs below are ones AWS cannot change in place, so a change to one is
 * shown as a (likely) replacement. A real `pulumi preview --diff` is the authority.
 */

/** One resource as the `--json` document of `npm run plan` records it. */
export interface PlanResource {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  inputs: Record<string, unknown>;
  options: PlanOptions;
}

export interface PlanOptions {
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  provider?: string;
  ignoreChanges?: string[];
  aliases?: PlanAlias[];
  [option: string]: unknown;
}

/** An alias as the plan records it: a whole URN, or the name, type or parent that changed. */
export interface PlanAlias {
  urn?: string;
  name?: string;
  type?: string;
  parentUrn?: string;
  noParent?: boolean;
}

export interface PlanDocument {
  stack: string;
  resources: PlanResource[];
}

export type ChangeKind = "add" | "remove" | "replace" | "update" | "move";

export interface KeyChange {
  /** Dotted path of the input (`rules[0].status`) or `options.<name>` for a resource option. */
  key: string;
  before?: unknown;
  after?: unknown;
}

export interface ResourceChange {
  kind: ChangeKind;
  /** The resource's URN in the new plan (in the old one for a removal). */
  urn: string;
  /** Where a moved resource was. */
  from?: string;
  type: string;
  name: string;
  /** URN of the component (parent) that holds the resource; undefined for the stack itself. */
  component?: string;
  keys: KeyChange[];
  /** The old resource was protected: removing or replacing it fails until `protect` is lifted. */
  protected?: boolean;
  /** The old resource is retained on delete: removing it leaves it in the account, unmanaged. */
  retained?: boolean;
}

export interface ComponentChanges {
  /** Parent URN; undefined for resources without a parent (the stack). */
  urn?: string;
  /** `name (type)` of the component, as either plan knows it. */
  label: string;
  changes: ResourceChange[];
}

export interface PlanDiff {
  stack: string;
  baseStack: string;
  counts: Record<ChangeKind, number> & { unchanged: number };
  components: ComponentChanges[];
}

/**
 * Inputs AWS cannot change in place, by resource type: a change to one replaces the resource (the
 * AWS provider marks them ForceNew). Not every such input, only those loglake sets and only where
 * the provider is sure to replace: a missing entry shows as an update, never a false alarm.
 */
export const replaceTriggers: Record<string, string[]> = {
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"],
  "aws:kms/key:Key": ["customerMasterKeySpec", "keySpec", "multiRegion"],
  "aws:kms/alias:Alias": ["name", "namePrefix"],
  "aws:kms/grant:Grant": ["keyId", "granteePrincipal", "operations", "name", "retiringPrincipal", "constraints"],
  "aws:iam/role:Role": ["name", "namePrefix", "path"],
  "aws:iam/policy:Policy": ["name", "namePrefix", "path"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
  "aws:iam/rolePolicy:RolePolicy": ["name", "role"],
  // Not `identifier` (RDS renames in place) nor `replicateSourceDb` (unsetting it promotes the replica).
  "aws:rds/instance:Instance": ["engine", "kmsKeyId", "storageEncrypted", "dbName", "username", "availabilityZone"],
  "aws:rds/parameterGroup:ParameterGroup": ["name", "family"],
  "aws:rds/subnetGroup:SubnetGroup": ["name"],
  "aws:msk/cluster:Cluster": [
    "clusterName",
    "encryptionInfo.encryptionAtRestKmsKeyArn",
    "brokerNodeGroupInfo.clientSubnets",
  ],
  "aws:msk/configuration:Configuration": ["name"],
  "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix"],
  "aws:secretsmanager/secret:Secret": ["name"],
  "aws:sns/topic:Topic": ["name", "fifoTopic"],
  "aws:ec2/securityGroup:SecurityGroup": ["name", "vpcId", "description"],
  "aws:ec2/vpcEndpoint:VpcEndpoint": ["serviceName", "vpcId", "vpcEndpointType"],
  "aws:ec2/flowLog:FlowLog": ["vpcId", "logDestination", "logDestinationType", "trafficType"],
  "eks:index:Cluster": ["name", "encryptionConfigKeyArn"],
  "eks:index:ManagedNodeGroup": ["nodeGroupName", "subnetIds", "capacityType", "instanceTypes"],
  "random:index/randomPassword:RandomPassword": ["length", "special", "keepers", "overrideSpecial"],
};

/** Options whose change a reviewer needs to see; `dependsOn` and per-package providers are noise. */
const watchedOptions = ["protect", "retainOnDelete", "deleteBeforeReplace", "provider", "ignoreChanges"] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON document held in a string input (an IAM or bucket policy), or undefined. */
function embeddedJson(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The member that names each object of a list (`id`, `name`, `Sid`), when every object has a distinct one. */
function identityKey(list: unknown[]): string | undefined {
  if (list.length === 0 || !list.every(isObject)) return undefined;
  return ["id", "name", "Sid", "sid"].find((key) => {
    const values = list.map((v) => (v as Record<string, unknown>)[key]);
    return values.every((v) => typeof v === "string" && v !== "") && new Set(values).size === values.length;
  });
}

/**
 * Leaf-level differences between two input values, as dotted paths (arrays by index). A policy
 * document held as a JSON string is compared statement by statement, not as one long string.
 */
export function changedKeys(before: unknown, after: unknown, path = ""): KeyChange[] {
  const [docBefore, docAfter] = [embeddedJson(before), embeddedJson(after)];
  if (docBefore !== undefined && docAfter !== undefined && before !== after) {
    return changedKeys(docBefore, docAfter, path);
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedKeys(before[k], after[k], path ? `${path}.${k}` : k));
  }
  const keyBefore = Array.isArray(before) ? identityKey(before) : undefined;
  if (Array.isArray(before) && Array.isArray(after) && keyBefore && keyBefore === identityKey(after)) {
    // Lists of named things (lifecycle rules by id, statements by Sid): match by name, so adding
    // one rule shows that rule, not every rule after it shifted by one.
    const byKey = (list: unknown[]) => new Map(list.map((v) => [String((v as Record<string, unknown>)[keyBefore]), v]));
    const [b, a] = [byKey(before), byKey(after)];
    const names = [...new Set([...b.keys(), ...a.keys()])];
    return names.flatMap((name) => changedKeys(b.get(name), a.get(name), `${path}[${keyBefore}=${name}]`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((v, i) => changedKeys(v, after[i], `${path}[${i}]`));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ key: path || "(value)", before, after }];
}

/** Does the changed key `key` fall under the replace-triggering input `trigger`? */
const under = (key: string, trigger: string) =>
  key === trigger || key.startsWith(`${trigger}.`) || key.startsWith(`${trigger}[`);

function resourceKeys(before: PlanResource, after: PlanResource): KeyChange[] {
  const inputs = changedKeys(before.inputs, after.inputs);
  const options = watchedOptions.flatMap((option) => {
    const [b, a] = [before.options[option], after.options[option]];
    const empty = (v: unknown) => v === undefined || v === false || (Array.isArray(v) && v.length === 0);
    if (empty(b) && empty(a)) return [];
    return JSON.stringify(b) === JSON.stringify(a) ? [] : [{ key: `options.${option}`, before: b, after: a }];
  });
  return [...inputs, ...options];
}

/** Does `alias` of the new resource `resource` name the old resource `old`? */
function aliasMatches(alias: PlanAlias, resource: PlanResource, old: PlanResource, movedFrom: Map<string, string>) {
  if (alias.urn) return alias.urn === old.urn;
  if ((alias.name ?? resource.name) !== old.name) return false;
  if ((alias.type ?? resource.type) !== old.type) return false;
  if (alias.noParent) return old.parent === undefined;
  if (alias.parentUrn) return alias.parentUrn === old.parent;
  // Parent unchanged: the same parent, or the parent's own former URN when the parent moved too.
  return (
    old.parent === resource.parent || (resource.parent !== undefined && movedFrom.get(resource.parent) === old.parent)
  );
}

/** The changes from the `base` plan to the `head` plan. */
export function diffPlans(base: PlanDocument, head: PlanDocument): PlanDiff {
  const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
  const headUrns = new Set(head.resources.map((r) => r.urn));
  /** New URN → old URN of resources that moved (plan order puts parents before children). */
  const movedFrom = new Map<string, string>();
  const adopted = new Set<string>();
  const changes: ResourceChange[] = [];
  let unchanged = 0;

  for (const resource of head.resources) {
    let old = baseByUrn.get(resource.urn);
    let from: string | undefined;
    if (!old) {
      // A child inherits its parent's aliases (the engine derives them), so under a parent that moved
      // a child without aliases of its own is matched as if it had an alias that changes nothing.
      const inherited = resource.parent !== undefined && movedFrom.has(resource.parent) ? [{}] : [];
      const aliases: PlanAlias[] = [...(resource.options.aliases ?? []), ...inherited];
      old = base.resources.find(
        (candidate) =>
          !headUrns.has(candidate.urn) &&
          !adopted.has(candidate.urn) &&
          aliases.some((alias) => aliasMatches(alias, resource, candidate, movedFrom)),
      );
      if (old) {
        from = old.urn;
        movedFrom.set(resource.urn, old.urn);
      }
    }
    const ident = { urn: resource.urn, type: resource.type, name: resource.name, component: resource.parent };
    if (!old) {
      changes.push({ ...ident, kind: "add", keys: [] });
      continue;
    }
    adopted.add(old.urn);
    const keys = resourceKeys(old, resource);
    const triggers = replaceTriggers[resource.type] ?? [];
    const replaced = keys.some((k) => triggers.some((t) => under(k.key, t)));
    const flags = { protected: old.options.protect || undefined, retained: old.options.retainOnDelete || undefined };
    if (from) changes.push({ ...ident, kind: replaced ? "replace" : "move", from, keys, ...(replaced ? flags : {}) });
    else if (replaced) changes.push({ ...ident, kind: "replace", keys, ...flags });
    else if (keys.length) changes.push({ ...ident, kind: "update", keys });
    else unchanged++;
  }
  // A removal under a component that moved is shown under the component's new URN.
  const newUrnOf = new Map([...movedFrom].map(([newUrn, oldUrn]) => [oldUrn, newUrn]));
  for (const old of base.resources) {
    if (headUrns.has(old.urn) || adopted.has(old.urn)) continue;
    changes.push({
      kind: "remove",
      urn: old.urn,
      type: old.type,
      name: old.name,
      component: old.parent && (newUrnOf.get(old.parent) ?? old.parent),
      keys: [],
      protected: old.options.protect || undefined,
      retained: old.options.retainOnDelete || undefined,
    });
  }

  const label = (urn: string | undefined) => {
    if (urn === undefined) return "(no parent)";
    const r = head.resources.find((x) => x.urn === urn) ?? baseByUrn.get(urn);
    return r ? `${r.name} (${r.type})` : urn;
  };
  const order = [...head.resources.map((r) => r.urn), ...base.resources.map((r) => r.urn)];
  const rank = (urn: string | undefined) => (urn === undefined ? -1 : order.indexOf(urn));
  const groups = new Map<string | undefined, ComponentChanges>();
  for (const change of changes) {
    const group = groups.get(change.component) ?? {
      urn: change.component,
      label: label(change.component),
      changes: [],
    };
    group.changes.push(change);
    groups.set(change.component, group);
  }
  const kindOrder: ChangeKind[] = ["remove", "replace", "add", "move", "update"];
  const components = [...groups.values()].sort((a, b) => rank(a.urn) - rank(b.urn));
  for (const group of components) {
    group.changes.sort(
      (a, b) =>
        kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
        a.name.localeCompare(b.name) ||
        a.type.localeCompare(b.type),
    );
  }
  const count = (kind: ChangeKind) => changes.filter((c) => c.kind === kind).length;
  return {
    stack: head.stack,
    baseStack: base.stack,
    counts: {
      add: count("add"),
      remove: count("remove"),
      replace: count("replace"),
      update: count("update"),
      move: count("move"),
      unchanged,
    },
    components,
  };
}

export const hasChanges = (diff: PlanDiff) =>
  diff.counts.add + diff.counts.remove + diff.counts.replace + diff.counts.update + diff.counts.move > 0;

/** A `--diff` file that is not a plan document; the CLI prints its message alone. */
export class PlanFileError extends Error {}

/** Reads a `--json` plan document, refusing a file that is not one. */
export function readPlanDocument(file: string): PlanDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new PlanFileError(`--diff ${file}: not a readable plan JSON (${(err as Error).message})`);
  }
  if (!isObject(doc) || typeof doc.stack !== "string" || !Array.isArray(doc.resources)) {
    throw new PlanFileError(
      `--diff ${file}: not a plan document ({ "stack", "resources": [...] } from npm run plan -- --json)`,
    );
  }
  for (const r of doc.resources as unknown[]) {
    if (!isObject(r) || typeof r.urn !== "string" || typeof r.type !== "string" || typeof r.name !== "string") {
      throw new PlanFileError(`--diff ${file}: a resource without urn, type and name`);
    }
  }
  return {
    stack: doc.stack,
    resources: (doc.resources as Record<string, unknown>[]).map((r) => ({
      urn: r.urn as string,
      type: r.type as string,
      name: r.name as string,
      parent: (r.parent as string | undefined) ?? undefined,
      inputs: isObject(r.inputs) ? r.inputs : {},
      options: (isObject(r.options) ? r.options : {}) as PlanOptions,
    })),
  };
}

// ---- rendering ----

const symbols: Record<ChangeKind, string> = { add: "+", remove: "-", replace: "±", update: "~", move: ">" };
const verbs: Record<ChangeKind, string> = {
  add: "add",
  remove: "remove",
  replace: "replace",
  update: "update",
  move: "move",
};

/**
 * Both sides of a change in one line each, cut to `max` characters around where they first differ,
 * so two long strings that share a beginning do not both show only that beginning.
 */
export function briefPair(before: unknown, after: unknown, max = 60): [string, string] {
  const [b, a] = [before, after].map((v) => (v === undefined ? "(unset)" : JSON.stringify(v)));
  if (b.length <= max && a.length <= max) return [b, a];
  let common = 0;
  while (common < b.length && common < a.length && b[common] === a[common]) common++;
  const start = Math.max(0, common - Math.floor(max / 4));
  const cut = (t: string) => {
    const body = t.slice(start, start + max - (start > 0 ? 2 : 1));
    return `${start > 0 ? "…" : ""}${body}${start + body.length < t.length ? "…" : ""}`;
  };
  return [cut(b), cut(a)];
}

function summary(diff: PlanDiff): string {
  const { counts } = diff;
  const parts = (["add", "remove", "replace", "update", "move"] as ChangeKind[])
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} to ${verbs[k]}`);
  return `${parts.length ? parts.join(", ") : "no changes"}, ${counts.unchanged} unchanged`;
}

function warnings(change: ResourceChange): string[] {
  if (change.kind !== "remove" && change.kind !== "replace") return [];
  return [
    change.protected ? "protected: pulumi up refuses until protect is lifted" : "",
    change.retained && change.kind === "remove" ? "retained: stays in the account, no longer managed" : "",
  ].filter(Boolean);
}

const header = (diff: PlanDiff) =>
  diff.baseStack === diff.stack ? `stack ${diff.stack}` : `stack ${diff.stack} (against a plan of ${diff.baseStack})`;

export interface TextOptions {
  /** ANSI colours (a terminal); off for files and pipes. */
  color?: boolean;
}

/** The diff for a terminal: one block per component, one line per resource, a line per changed key. */
export function renderDiffText(diff: PlanDiff, options: TextOptions = {}): string {
  const colours: Record<ChangeKind, string> = { add: "32", remove: "31", replace: "35", update: "33", move: "36" };
  const paint = (kind: ChangeKind, text: string) => (options.color ? `\x1b[${colours[kind]}m${text}\x1b[0m` : text);
  const lines = [`Plan diff of ${header(diff)}: ${summary(diff)}`];
  for (const group of diff.components) {
    lines.push("", group.label);
    for (const change of group.changes) {
      const notes = [
        change.from ? `moved from ${change.from}` : "",
        change.kind === "replace" ? "likely replaced: an input AWS cannot change in place" : "",
        ...warnings(change),
      ].filter(Boolean);
      lines.push(
        paint(change.kind, `  ${symbols[change.kind]} ${change.name} (${change.type})`) +
          (notes.length ? ` — ${notes.join("; ")}` : ""),
      );
      for (const key of change.keys) {
        const [before, after] = briefPair(key.before, key.after);
        lines.push(`      ${key.key}: ${before} → ${after}`);
      }
    }
  }
  return lines.join("\n");
}

const md = (text: string) => text.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);
// Backticks cannot be escaped inside a code span; a pipe must be, even there, or it splits the cell.
const code = (text: string) => `\`${text.replace(/`/g, "ˋ").replace(/\|/g, "\\|")}\``;

/** The diff as Markdown (a pull-request comment): a table of changes per component. */
export function renderDiffMarkdown(diff: PlanDiff): string {
  const lines = [`#### Plan diff of ${md(header(diff))}`, "", `**${summary(diff)}**`];
  if (!hasChanges(diff)) return lines.join("\n");
  for (const group of diff.components) {
    lines.push("", `**${md(group.label)}**`, "", "| | resource | type | what changes |", "|---|---|---|---|");
    for (const change of group.changes) {
      const what = [
        change.from ? `moved from ${code(change.from)}` : "",
        change.kind === "replace" ? "**likely replaced**" : "",
        ...warnings(change).map((w) => `**${md(w)}**`),
        ...change.keys.map((k) => {
          const [before, after] = briefPair(k.before, k.after, 50);
          return `${code(k.key)}: ${code(before)} → ${code(after)}`;
        }),
      ].filter(Boolean);
      lines.push(
        `| ${symbols[change.kind]} ${verbs[change.kind]} | ${code(change.name)} | ${code(change.type)} | ${what.join("<br>") || " "} |`,
      );
    }
  }
  return lines.join("\n");
}
