import * as assert from "node:assert/strict";
import { brokerHosts, scrapeConfigs, scrapeJobs } from "../../../components/workloads/scrape-configs";

const targets = {
  bootstrapBrokers:
    "b-2.acme.x1.c2.kafka.eu-west-1.amazonaws.com:9098,b-1.acme.x1.c2.kafka.eu-west-1.amazonaws.com:9098",
  lakeWriterNamespace: "loglake",
  sparkNamespace: "spark-jobs",
  metastoreNamespace: "hive",
};

describe("scrape configs", () => {
  it("takes each broker's host name once from the bootstrap string, whatever its ports and spacing", () => {
    assert.deepEqual(brokerHosts(" b-2.acme.kafka.aws:9098, b-1.acme.kafka.aws:9098,b-2.acme.kafka.aws:9096,"), [
      "b-1.acme.kafka.aws",
      "b-2.acme.kafka.aws",
    ]);
    assert.deepEqual(brokerHosts(""), []);
  });

  it("defines one job per name the dashboards query, each job once", () => {
    const names = scrapeConfigs(targets).map((c) => c.job_name);
    assert.deepEqual([...names].sort(), Object.values(scrapeJobs).sort());
  });

  it("labels broker series with MSK's short broker name", () => {
    const jmx = scrapeConfigs(targets).find((c) => c.job_name === scrapeJobs.mskJmx) as {
      relabel_configs: { regex: string; replacement: string }[];
    };
    const [rule] = jmx.relabel_configs;
    assert.equal(
      "b-1.acme.x1.c2.kafka.eu-west-1.amazonaws.com:11001".replace(new RegExp(`^${rule.regex}$`), rule.replacement),
      "b-1",
    );
  });
});
