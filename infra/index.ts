import { loadConfig } from "./config";
import { deployLoglake } from "./program";

// The entry point `pulumi up` runs (Pulumi.yaml: main infra/). Config is validated before the first
// resource is registered; the returned outputs become the stack's outputs.
export = deployLoglake(loadConfig());
