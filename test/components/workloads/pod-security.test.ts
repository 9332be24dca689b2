import * as assert from "node:assert/strict";
import { containerResourcesProblems } from "../../../components/workloads/pod-security";

const resources = (requests: [string, string], limits: [string, string]) => ({
  requests: { cpu: requests[0], memory: requests[1] },
  limits: { cpu: limits[0], memory: limits[1] },
});

describe("pod security", () => {
  describe("containerResourcesProblems", () => {
    it("accepts quantities in cores, millicores and binary units, each request at most its limit", () => {
      assert.deepEqual(containerResourcesProblems(resources(["500m", "1536Mi"], ["0.5", "1.5Gi"])), []);
      assert.deepEqual(containerResourcesProblems(resources(["100m", "512Ki"], ["2", "2Gi"])), []);
    });

    it("compares across units: 2048Mi is 2Gi, 1500m is more than 1", () => {
      assert.deepEqual(containerResourcesProblems(resources(["1", "2Gi"], ["1", "2048Mi"])), []);
      assert.deepEqual(containerResourcesProblems(resources(["1500m", "1Gi"], ["1", "1Gi"])), [
        { path: ["resources", "requests", "cpu"], message: "above its limit (1); the API server refuses such a pod" },
      ]);
    });

    it("refuses what is not a quantity, at the path it is given", () => {
      assert.deepEqual(containerResourcesProblems(resources(["one", "1Gi"], ["1", "1 Gi"]), ["app", "resources"]), [
        {
          path: ["app", "resources", "requests", "cpu"],
          message: "a Kubernetes quantity such as 100m or 300Mi",
        },
        {
          path: ["app", "resources", "limits", "memory"],
          message: "a Kubernetes quantity such as 100m or 300Mi",
        },
      ]);
    });
  });
});
