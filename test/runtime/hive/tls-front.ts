import { execFile } from "node:child_process";
import { request } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** One request the metastore made of S3, as received. */
export interface S3Call {
  method: string;
  /** The path, URL-decoded: /<bucket>/<key> (path style). */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A local S3 endpoint behind TLS on loopback, as S3 itself is reached: the AWS SDK sends SSE-KMS
 * requests only over HTTPS. Its certificate (for 127.0.0.1) is made in `dir`, with a PKCS#12 trust
 * store for the JVM (`javax.net.ssl.trustStore`, password `trustStorePassword`). Every request is
 * recorded and forwarded unchanged, so the target still checks its signature.
 */
export async function startTlsFront(target: string, dir: string) {
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  const trustStore = join(dir, "trust.p12");
  const trustStorePassword = "loopback";
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  await run("keytool", [
    "-importcert",
    "-noprompt",
    "-alias",
    "s3",
    "-file",
    cert,
    "-keystore",
    trustStore,
    "-storetype",
    "PKCS12",
    "-storepass",
    trustStorePassword,
  ]);
  const calls: S3Call[] = [];
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "https://127.0.0.1");
      calls.push({
        method: req.method ?? "GET",
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body: body.toString("utf8"),
      });
      const upstream = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `127.0.0.1:${port}`,
    trustStore,
    trustStorePassword,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
