import { isRedacted, listOf, Props } from "./define";
import { IAM_INLINE_POLICY, IAM_POLICY, IAM_ROLE } from "./types";

/** One IAM policy statement with its list-or-string fields made lists. */
export interface Statement {
  sid?: string;
  effect: "Allow" | "Deny";
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
  principal: unknown;
  condition?: Record<string, Record<string, unknown>>;
}

/** A statement as written in a policy document, before its list-or-string fields are made lists. */
interface RawStatement {
  Sid?: string;
  Effect?: string;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** An identity policy document found on a resource, with where it sits for the message. */
interface FoundDocument {
  where: string;
  statements: Statement[];
}

/**
 * Parses a policy document as programs register it (a JSON string, or an object in stack exports
 * and tests). Hidden values ("[secret]", "[unknown]") and unparsable text give `undefined`: the
 * pack cannot judge what it cannot read, and AWS rejects malformed JSON anyway.
 */
export function parseDocument(value: unknown): Statement[] | undefined {
  if (value === undefined || value === null || isRedacted(value)) return undefined;
  let doc: unknown = value;
  if (typeof value === "string") {
    try {
      doc = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!doc || typeof doc !== "object") return undefined;
  return listOf<RawStatement>((doc as { Statement?: unknown }).Statement).map((s) => ({
    sid: s.Sid,
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: listOf<string>(s.Action),
    notActions: listOf<string>(s.NotAction),
    resources: listOf<string>(s.Resource),
    notResources: listOf<string>(s.NotResource),
    principal: s.Principal,
    condition: s.Condition,
  }));
}

/** Identity-policy types this pack reads documents from (managed, inline, role inlinePolicies). */
export const IDENTITY_POLICY_TYPES = [IAM_POLICY, ...IAM_INLINE_POLICY, IAM_ROLE];

/** The identity policy documents a resource carries: a managed or inline policy, or a role's inlinePolicies. */
function identityDocuments(type: string, props: Props): FoundDocument[] {
  if (type === IAM_ROLE) {
    return listOf<{ name?: string; policy?: unknown }>(props.inlinePolicies).flatMap((inline, i) => {
      const statements = parseDocument(inline.policy);
      return statements ? [{ where: `inline policy "${inline.name ?? i}"`, statements }] : [];
    });
  }
  const statements = parseDocument(props.policy);
  return statements ? [{ where: "policy", statements }] : [];
}

/** Does an IAM action pattern (with * and ?) cover the action? IAM matches case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return regex.test(action);
}

/** "*" or "service:*": every action, or every action of a service. */
export const isWildcardAction = (action: string) => action === "*" || /^[a-z0-9-]+:\*$/i.test(action);

/**
 * Verbs of actions that only read. Anything else (Put, Create, Delete, Attach, Pass, Tag...) is
 * treated as a write or permission-management action. For wildcard actions the part before the
 * first wildcard decides, so "s3:Get*" reads and "s3:*Object" may write.
 */
const READ_VERBS = [
  "Get",
  "List",
  "Describe",
  "Head",
  "Search",
  "Query",
  "Scan",
  "Select",
  "BatchGet",
  "View",
  "Lookup",
  "Read",
  "Filter",
];

export function isReadOnlyAction(action: string): boolean {
  const verb = action.slice(action.indexOf(":") + 1);
  return READ_VERBS.some((prefix) => verb.toLowerCase().startsWith(prefix.toLowerCase()));
}

/** The Allow statements of a resource's identity policies, each with where it sits for messages. */
export function allowStatements(type: string, props: Props): { where: string; statement: Statement }[] {
  return identityDocuments(type, props).flatMap((doc) =>
    doc.statements
      .filter((s) => s.effect === "Allow")
      .map((s) => ({ where: `${doc.where}${s.sid ? ` statement "${s.sid}"` : ""}`, statement: s })),
  );
}

/** Principal "*" or { AWS: "*" }: any AWS principal, authenticated or not. */
export const isPublicPrincipal = (principal: unknown) =>
  principal === "*" ||
  (typeof principal === "object" && principal !== null && [(principal as { AWS?: unknown }).AWS].flat().includes("*"));
