// The benchmark corpus: generated web/API access and application log records, the same every run.
import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** Deterministic pseudo-random numbers (mulberry32), so every run ships the same corpus. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Web/API access and application logs: the shapes loglake's raw tables get. */
export async function writeCorpus(path: string, targetBytes: number): Promise<{ records: number; bytes: number }> {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const services = ["checkout", "payments", "search", "catalog", "auth", "gateway"] as const;
  const paths = [
    "/api/v1/orders",
    "/api/v1/orders/{id}",
    "/api/v1/cart",
    "/api/v1/search",
    "/login",
    "/healthz",
    "/api/v1/products/{id}",
  ];
  const agents = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148",
    "okhttp/4.12.0",
    "curl/8.5.0",
  ];
  const errors = [
    "upstream timed out",
    "connection reset by peer",
    "card declined",
    "validation failed: missing field sku",
  ];
  const out = createWriteStream(path);
  const start = Date.UTC(2026, 10, 20, 22, 0, 0);
  let bytes = 0;
  let seq = 0;
  while (bytes < targetBytes) {
    let chunk = "";
    for (let i = 0; i < 2000; i++, seq++) {
      const status = next() < 0.93 ? 200 : pick([201, 204, 301, 400, 401, 404, 429, 500, 502, 503]);
      const service = pick(services);
      const record: Record<string, unknown> = {
        timestamp: new Date(start + seq * 11).toISOString(), // spans several hours: objects split by hour
        level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
        service,
        host: `${service}-${Math.floor(next() * 24)}`,
        seq,
        trace_id:
          Math.floor(next() * 2 ** 52)
            .toString(16)
            .padStart(13, "0") +
          Math.floor(next() * 2 ** 52)
            .toString(16)
            .padStart(13, "0"),
        http: {
          method: pick(["GET", "GET", "GET", "POST", "PUT", "DELETE"]),
          path: pick(paths).replace("{id}", String(Math.floor(next() * 1e6))),
          status,
          bytes: Math.floor(next() * 40_000),
        },
        duration_ms: Math.round(next() ** 3 * 2500 * 100) / 100,
        client_ip: `10.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}`,
        user_agent: pick(agents),
        msg: status >= 500 ? pick(errors) : "request completed",
      };
      if (next() < 0.2) record.user_id = `u-${Math.floor(next() * 5e5)}`;
      chunk += JSON.stringify(record) + "\n";
    }
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return { records: seq, bytes };
}
