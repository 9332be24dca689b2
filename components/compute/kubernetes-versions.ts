/**
 * Kubernetes minor versions Amazon EKS offers, with the dates that decide what a cluster on each costs
 * and how long it may stay there. Source: the "Amazon EKS Kubernetes release calendar" in the EKS User
 * Guide ("Understand the Kubernetes version lifecycle on EKS"), as published in late 2026.
 *
 * A version is in standard support for 14 months after its EKS release, then in extended support for 12
 * more months at an extra cost per cluster-hour; after that EKS no longer creates clusters on it and
 * upgrades existing control planes by itself. Clusters whose upgrade policy is STANDARD are upgraded at
 * the end of standard support instead, and EKS refuses the STANDARD policy on a version already in
 * extended support.
 *
 * Upstream released 1.37 on 2026-08-26; it is not listed because no EKS release date for it could be
 * confirmed when this table was written. Add a row (and move `defaultKubernetesVersion`) when EKS
 * publishes it; versions past the end of extended support may be removed.
 */
export const eksKubernetesVersions = {
  "1.36": { eksRelease: "2026-06-02", endOfStandardSupport: "2027-08-02", endOfExtendedSupport: "2028-08-02" },
  "1.35": { eksRelease: "2026-01-27", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
  "1.34": { eksRelease: "2025-10-02", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
  "1.33": { eksRelease: "2025-05-29", endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
  "1.32": { eksRelease: "2025-01-23", endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
  "1.31": { eksRelease: "2024-09-26", endOfStandardSupport: "2025-11-26", endOfExtendedSupport: "2026-11-26" },
} as const satisfies Record<string, { eksRelease: string; endOfStandardSupport: string; endOfExtendedSupport: string }>;

export type KubernetesVersion = keyof typeof eksKubernetesVersions;

/** The newest version in the table: the longest standard support for a new cluster. */
export const defaultKubernetesVersion: KubernetesVersion = "1.36";

/** EKS upgrade policy (`upgradePolicy.supportType`): what happens when standard support ends. */
export const supportTypes = ["STANDARD", "EXTENDED"] as const;
export type SupportType = (typeof supportTypes)[number];

export type SupportStatus = "not yet released" | "standard" | "extended" | "ended";

/** Where `version` stands in its EKS lifecycle on `day` (dates are UTC days, as EKS publishes them). */
export function supportStatus(version: KubernetesVersion, day: Date): SupportStatus {
  const dates = eksKubernetesVersions[version];
  const today = day.toISOString().slice(0, 10);
  if (today < dates.eksRelease) return "not yet released";
  if (today < dates.endOfStandardSupport) return "standard";
  if (today < dates.endOfExtendedSupport) return "extended";
  return "ended";
}

const isKnownVersion = (version: string): version is KubernetesVersion => Object.hasOwn(eksKubernetesVersions, version);

/**
 * Why EKS would refuse (or silently change) a cluster on `version` with upgrade policy `supportType`,
 * created on `day`; undefined when it is fine.
 */
export function kubernetesVersionProblem(version: string, supportType: SupportType, day: Date): string | undefined {
  if (!isKnownVersion(version)) {
    return `EKS offers Kubernetes ${Object.keys(eksKubernetesVersions).join(", ")} (minor versions as "1.NN")`;
  }
  const dates = eksKubernetesVersions[version];
  switch (supportStatus(version, day)) {
    case "not yet released":
      return `EKS releases Kubernetes ${version} on ${dates.eksRelease}`;
    case "ended":
      return `EKS support for Kubernetes ${version} ended on ${dates.endOfExtendedSupport}; use ${defaultKubernetesVersion}`;
    case "extended":
      return supportType === "EXTENDED"
        ? undefined
        : `Kubernetes ${version} is in EKS extended support since ${dates.endOfStandardSupport} (extra cost per cluster-hour): ` +
            `set supportType EXTENDED to accept that, or use ${defaultKubernetesVersion}`;
    case "standard":
      return undefined;
  }
}
