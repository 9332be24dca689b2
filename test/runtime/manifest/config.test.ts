import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../runtime/manifest/config";

const required = {
  TRACKING_TABLE: "loglake-tracking",
  MANIFEST_BUCKET: "loglake-manifests",
  MANIFEST_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/loglake-manifests",
  QUARANTINE_BUCKET: "loglake-quarantine",
};

describe("manifest builder configuration", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig(required);
    assert.equal(config.maxFilesPerManifest, 100);
    assert.equal(config.maxManifestBytes, 500_000_000_000);
    assert.equal(config.flushAfterSeconds, 3600);
    assert.equal(config.manifestPrefix, "manifests");
    assert.equal(config.leaseSeconds, 900);
  });

  it("takes every bucket but its own when no raw buckets are configured", () => {
    assert.deepEqual(loadConfig(required).rawSources, []);
  });

  it("reads raw buckets with optional prefixes", () => {
    const config = loadConfig({ ...required, RAW_BUCKETS: "lake-raw, other/logs/app/ ,third" });
    assert.deepEqual(config.rawSources, [
      { bucket: "lake-raw", prefix: "" },
      { bucket: "other", prefix: "logs/app" },
      { bucket: "third", prefix: "" },
    ]);
  });

  it("refuses a raw bucket entry without a bucket name", () => {
    assert.throws(() => loadConfig({ ...required, RAW_BUCKETS: "lake-raw,/logs" }), /RAW_BUCKETS .*no bucket name/);
  });

  it("reads numbers from their environment strings", () => {
    const config = loadConfig({ ...required, MAX_FILES_PER_MANIFEST: "250", SIZE_TOLERANCE: "0.5" });
    assert.equal(config.maxFilesPerManifest, 250);
    assert.equal(config.sizeTolerance, 0.5);
  });

  it("lists every missing or malformed variable with its value", () => {
    const env = { ...required, TRACKING_TABLE: undefined, MAX_FILES_PER_MANIFEST: "lots", MANIFEST_PREFIX: "/abs/" };
    assert.throws(
      () => loadConfig(env),
      (error: Error) =>
        error instanceof ConfigError &&
        /TRACKING_TABLE \(unset\)/.test(error.message) &&
        /MAX_FILES_PER_MANIFEST \("lots"\)/.test(error.message) &&
        /MANIFEST_PREFIX \("\/abs\/"\): must not start or end with \//.test(error.message),
    );
  });

  it("refuses a queue URL that is not a URL", () => {
    assert.throws(() => loadConfig({ ...required, MANIFEST_QUEUE_URL: "loglake-manifests" }), /MANIFEST_QUEUE_URL/);
  });
});
