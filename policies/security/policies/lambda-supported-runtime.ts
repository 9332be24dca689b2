import { resourcePolicy } from "../lib/define";
import { LAMBDA_FUNCTION } from "../lib/types";

/**
 * Runtimes Lambda still supports (no deprecation date passed) that loglake deploys. Node.js 20 left
 * Lambda's supported list on 2026-04-30; container images (`packageType: Image`) carry their own.
 */
const supported = ["nodejs22.x", "nodejs24.x", "python3.12", "python3.13", "java21"];

export const lambdaSupportedRuntime = resourcePolicy<{ allowedRuntimes?: string[] }>({
  name: "lambda-supported-runtime",
  description: `Lambda functions use a runtime Lambda still patches (default: ${supported.join(", ")}).`,
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedRuntimes: {
        type: "array",
        items: { type: "string" },
        default: supported,
        description: "Runtimes allowed for zip-packaged functions.",
      },
    },
  },
  types: [LAMBDA_FUNCTION],
  check: (props, report, config) => {
    if (props.packageType === "Image") return;
    const allowed = config.allowedRuntimes ?? supported;
    const runtime = props.runtime as string | undefined;
    if (!runtime || !allowed.includes(runtime)) {
      report(
        `runs on ${runtime ?? "no runtime"}, which is not a supported runtime.`,
        `use one of ${allowed.join(", ")}.`,
      );
    }
  },
});
