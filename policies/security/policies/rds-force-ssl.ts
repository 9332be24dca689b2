import { PolicyResource } from "@pulumi/policy";
import { known, listOf, stackPolicy } from "../lib/define";
import { RDS_CLUSTER, RDS_CLUSTER_PARAMETER_GROUP, RDS_INSTANCE, RDS_PARAMETER_GROUP } from "../lib/types";

/** The parameter that makes each engine family refuse clients without TLS. */
function sslParameterFor(family: string): { name: string; on: string[] } | undefined {
  if (/postgres|sqlserver/.test(family)) return { name: "rds.force_ssl", on: ["1"] };
  if (/mysql|mariadb/.test(family)) return { name: "require_secure_transport", on: ["1", "ON", "on"] };
  return undefined;
}

/** Whether a parameter group forces TLS; `undefined` for families without such a switch or unknown values. */
function forcesSsl(group: PolicyResource): boolean | undefined {
  return known(() => {
    const ssl = sslParameterFor(String(group.props["family"] ?? ""));
    if (!ssl) return undefined;
    return listOf<{ name?: string; value?: unknown }>(group.props["parameters"]).some(
      (p) => p.name === ssl.name && ssl.on.includes(String(p.value)),
    );
  });
}

/** The input naming each database's parameter group. */
const GROUP_INPUT: Record<string, string> = {
  [RDS_INSTANCE]: "parameterGroupName",
  [RDS_CLUSTER]: "dbClusterParameterGroupName",
};

export const rdsForceSsl = stackPolicy({
  name: "rds-force-ssl",
  description:
    "RDS parameter groups force TLS for client connections, and every database uses such a group instead of the engine default.",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    for (const group of resources.filter((r) => [RDS_PARAMETER_GROUP, RDS_CLUSTER_PARAMETER_GROUP].includes(r.type))) {
      if (forcesSsl(group) === false) {
        const ssl = sslParameterFor(String(group.props["family"]))!;
        report(
          group,
          `does not set ${ssl.name} = ${ssl.on[0]}.`,
          `add the parameter { name: "${ssl.name}", value: "${ssl.on[0]}" }.`,
        );
      }
    }
    for (const db of resources.filter((r) => r.type in GROUP_INPUT)) {
      const input = GROUP_INPUT[db.type];
      const engine = known(() => String(db.props["engine"] ?? ""));
      // Aurora instances take the cluster's parameter group, checked on the cluster.
      if (engine === undefined || !sslParameterFor(engine) || (db.type === RDS_INSTANCE && engine.startsWith("aurora")))
        continue;
      if (known(() => db.props[input] === undefined)) {
        report(
          db,
          "uses the engine's default parameter group, which does not force TLS on every engine version.",
          `set ${input} to a parameter group that forces TLS.`,
        );
      }
    }
  },
});
