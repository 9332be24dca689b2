import { policyCases } from "../../support";

const fn = (props: Record<string, unknown>) => [{ type: "aws:lambda/function:Function", name: "builder", props }];

policyCases("lambda-supported-runtime", {
  compliant: {
    "Node.js 24": fn({ runtime: "nodejs24.x" }),
    "a container image (it carries its own runtime)": fn({ packageType: "Image" }),
    "a runtime the stack allows in its pack config": {
      resources: fn({ runtime: "provided.al2023" }),
      config: { "lambda-supported-runtime": { allowedRuntimes: ["provided.al2023"] } },
    },
  },
  violations: {
    "Node.js 20, out of Lambda's support": {
      resources: fn({ runtime: "nodejs20.x" }),
      offender: "builder",
      says: /nodejs20\.x/,
    },
    "no runtime": { resources: fn({}), offender: "builder" },
  },
});
