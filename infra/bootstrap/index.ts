import { loadBootstrapConfig } from "./config";
import { deployBootstrap } from "./program";

// The entry point of `pulumi up` in infra/bootstrap (its own Pulumi.yaml): config is validated
// before the first resource is registered; the outputs are what README's steps log in with.
export = deployBootstrap(loadBootstrapConfig());
