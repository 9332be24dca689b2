import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AwsAccount } from "../../components/security/account";
import { KeysArgs } from "../../components/security/keys";
import { Environment, section } from "./common";

export const keysSchema = z.strictObject({
  deletionWindowDays: z
    .number()
    .int()
    .min(7)
    .max(30)
    .describe("Days a deleted key waits before it is gone for good (KMS allows 7 to 30)."),
});
export type KeysSettings = z.infer<typeof keysSchema>;

const keysDefaults: Record<Environment, KeysSettings> = {
  dev: { deletionWindowDays: 7 },
  prod: { deletionWindowDays: 30 },
  dr: { deletionWindowDays: 30 },
};

export const keysSection = section({ key: "keys", schema: keysSchema, defaults: (e) => keysDefaults[e] });

/** The Keys' args for a stack: aliases under the stack's prefix. */
export function keysArgs(
  config: { prefix: string; keys: KeysSettings },
  deps: { account: pulumi.Input<AwsAccount> },
): KeysArgs {
  return { prefix: config.prefix, deletionWindowDays: config.keys.deletionWindowDays, account: deps.account };
}
