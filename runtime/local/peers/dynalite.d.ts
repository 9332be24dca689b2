// dynalite ships no type declarations; this is the part of its API the DynamoDB peer uses.
declare module "dynalite" {
  import type { Server } from "node:http";

  function dynalite(options?: Record<string, unknown>): Server;
  export = dynalite;
}
