import * as assert from "node:assert/strict";
import {
  defaultKubernetesVersion,
  eksKubernetesVersions,
  kubernetesVersionProblem,
  supportStatus,
} from "../../../components/compute/kubernetes-versions";

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe("EKS Kubernetes versions", () => {
  it("gives every version 14 months of standard and 12 of extended support after its EKS release", () => {
    const monthsBetween = (from: string, to: string) => {
      const [a, b] = [new Date(from), new Date(to)];
      return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
    };
    for (const [version, dates] of Object.entries(eksKubernetesVersions)) {
      assert.equal(monthsBetween(dates.eksRelease, dates.endOfStandardSupport), 14, `${version} standard support`);
      assert.equal(
        monthsBetween(dates.endOfStandardSupport, dates.endOfExtendedSupport),
        12,
        `${version} extended support`,
      );
    }
  });

  it("defaults to the newest version, in standard support in late 2026", () => {
    const newest = Object.keys(eksKubernetesVersions).sort(
      (a, b) => Number(b.split(".")[1]) - Number(a.split(".")[1]),
    )[0];
    assert.equal(defaultKubernetesVersion, newest);
    assert.equal(supportStatus(defaultKubernetesVersion, day("2026-11-21")), "standard");
  });

  it("places 1.34 in standard support until 2026-12-02 and in extended support from that day", () => {
    assert.equal(supportStatus("1.34", day("2026-12-01")), "standard");
    assert.equal(supportStatus("1.34", day("2026-12-02")), "extended");
    assert.equal(supportStatus("1.34", day("2027-12-02")), "ended");
  });

  it("accepts a standard-support version with either upgrade policy", () => {
    assert.equal(kubernetesVersionProblem("1.36", "STANDARD", day("2026-11-21")), undefined);
    assert.equal(kubernetesVersionProblem("1.36", "EXTENDED", day("2026-11-21")), undefined);
  });

  it("accepts an extended-support version only with the EXTENDED policy", () => {
    assert.equal(kubernetesVersionProblem("1.33", "EXTENDED", day("2026-11-21")), undefined);
    assert.match(
      kubernetesVersionProblem("1.33", "STANDARD", day("2026-11-21")) ?? "",
      /extended support since 2026-07-29.*supportType EXTENDED/,
    );
  });

  it("refuses a version whose extended support has ended, whatever the policy", () => {
    assert.match(kubernetesVersionProblem("1.31", "EXTENDED", day("2026-11-26")) ?? "", /ended on 2026-11-26/);
  });

  it("refuses a version before EKS releases it", () => {
    assert.match(
      kubernetesVersionProblem("1.36", "STANDARD", day("2026-05-01")) ?? "",
      /releases Kubernetes 1\.36 on 2026-06-02/,
    );
  });

  it("refuses versions that are not in the table, naming those that are", () => {
    for (const version of ["1.30", "1.37", "1.36.1", "v1.36", "toString"]) {
      assert.match(
        kubernetesVersionProblem(version, "EXTENDED", day("2026-11-21")) ?? "",
        /EKS offers Kubernetes 1\.36, 1\.35, 1\.34, 1\.33, 1\.32, 1\.31/,
        version,
      );
    }
  });
});
