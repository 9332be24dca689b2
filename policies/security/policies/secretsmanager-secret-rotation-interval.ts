import { isRedacted, resourcePolicy } from "../lib/define";
import { SECRET_ROTATION } from "../lib/types";

const DEFAULT_MAXIMUM_DAYS = 90;

/** A rotation's interval in days: automaticallyAfterDays, or a `rate(N days)` scheduleExpression. */
function intervalDays(rules: { automaticallyAfterDays?: unknown; scheduleExpression?: unknown }): number | undefined {
  const after = rules.automaticallyAfterDays;
  // A value hidden from the pack is not judged.
  if (isRedacted(after) || isRedacted(rules.scheduleExpression)) return undefined;
  if (after !== undefined && after !== null) return Number(after);
  const rate = /^rate\((\d+) days?\)$/.exec(String(rules.scheduleExpression ?? "").trim());
  // A cron() expression runs at least monthly in practice; only a rate says how far apart rotations are.
  return rate ? Number(rate[1]) : undefined;
}

export const secretsmanagerSecretRotationInterval = resourcePolicy<{ maximumDays: number }>({
  name: "secretsmanager-secret-rotation-interval",
  description:
    "Secrets Manager rotations run at least every maximumDays (90) days, so a leaked credential stops working within that time.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maximumDays: {
        type: "integer",
        minimum: 1,
        default: DEFAULT_MAXIMUM_DAYS,
        description: "The longest rotation interval allowed, in days.",
      },
    },
  },
  types: [SECRET_ROTATION],
  check: (props, report, config) => {
    const maximum = config.maximumDays ?? DEFAULT_MAXIMUM_DAYS;
    const days = intervalDays(props.rotationRules ?? {});
    if (days !== undefined && !(days <= maximum)) {
      report(
        `rotates the secret every ${days} days, more than ${maximum}.`,
        `set rotationRules.automaticallyAfterDays (or scheduleExpression "rate(N days)") to at most ${maximum}.`,
      );
    }
  },
});
