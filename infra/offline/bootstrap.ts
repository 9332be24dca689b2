import * as path from "node:path";
import { bootstrapProject, loadBootstrapConfig, parseBootstrapConfig } from "../bootstrap/config";
import { BootstrapOutputs, deployBootstrap } from "../bootstrap/program";
import { namespacedKeys } from "../config";
import { OfflineRun, runOffline } from "./engine";
import { readStackFile } from "./stack-file";

/** What `npm run plan -- bootstrap` plans: the account bootstrap's shipped stack. */
export const bootstrapPlanName = "bootstrap";
export const bootstrapStack = "account";
export const bootstrapStackFile = path.resolve(__dirname, `../bootstrap/stacks/Pulumi.${bootstrapStack}.yaml`);

/** Runs the bootstrap program (infra/bootstrap) under the offline engine with its stack file. */
export async function planBootstrap(stackFile = bootstrapStackFile): Promise<OfflineRun<BootstrapOutputs>> {
  const file = readStackFile(bootstrapStack, stackFile);
  // Refuse bad config before registering anything, as `pulumi up` would.
  const config = parseBootstrapConfig(namespacedKeys(file.config, bootstrapProject));
  return runOffline({
    stack: bootstrapStack,
    project: bootstrapProject,
    config: file.config,
    secretKeys: file.secretKeys,
    mocks: { defaultRegion: config.region },
    program: () => deployBootstrap(loadBootstrapConfig()),
  });
}
