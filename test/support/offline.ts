import * as assert from "node:assert/strict";
import { RegisteredResource, runOffline } from "../../infra/offline/engine";
import { MockOptions } from "../../infra/offline/mocks";

/** Resources a program registered under the offline engine, with lookups that explain their misses. */
export class Registered {
  constructor(readonly all: RegisteredResource[]) {}

  /** Every resource of a type token, e.g. "aws:s3/bucket:Bucket". */
  ofType(type: string): RegisteredResource[] {
    return this.all.filter((r) => r.type === type);
  }

  /** The one resource with this type and logical name; fails listing what there is. */
  get(type: string, name: string): RegisteredResource {
    const found = this.all.find((r) => r.type === type && r.name === name);
    assert.ok(
      found,
      `no ${type} named ${name}; registered of that type: ${
        this.ofType(type)
          .map((r) => r.name)
          .join(", ") || "none"
      }`,
    );
    return found;
  }

  /** The children of a resource (by URN). */
  childrenOf(parent: RegisteredResource): RegisteredResource[] {
    return this.all.filter((r) => r.parent === parent.urn);
  }
}

/**
 * Runs `program` under the shared mocks (preview off) and returns what it registered and returned.
 * Components are exercised exactly as `npm run plan` does.
 */
export async function registered<T>(
  program: () => T,
  options: { stack?: string; config?: Record<string, string>; mocks?: Partial<MockOptions> } = {},
): Promise<{ resources: Registered; result: T }> {
  const run = await runOffline({
    stack: options.stack ?? "test",
    config: options.config ?? {},
    mocks: { defaultRegion: "eu-west-1", ...options.mocks },
    program,
  });
  return { resources: new Registered(run.resources), result: run.result };
}

/** One statement of an IAM, bucket, queue, topic or key policy document as the programs write them. */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: { AWS?: string | string[]; Service?: string | string[]; Federated?: string };
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** A policy document (identity, resource or trust policy). */
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[];
}

/** Parses a JSON policy document input (as registered) into an object. */
export function policyOf(resource: RegisteredResource, key = "policy"): PolicyDocument {
  const value = resource.inputs[key];
  assert.equal(typeof value, "string", `${resource.name}.${key} is not a JSON string: ${JSON.stringify(value)}`);
  return JSON.parse(value as string);
}

/** The value, failing the test with `what` when it is missing (a statement not found, an unset input). */
export function present<T>(value: T | undefined | null, what: string): T {
  assert.ok(value !== undefined && value !== null, `${what} is missing`);
  return value;
}
