import { connect, createServer } from "node:net";

/** A loopback port the OS has just handed out and released, for a peer that must be told its port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no loopback port");
  return address.port;
}

/** True while something accepts TCP connections at `host:port`. */
export function accepts(port: number, host = "127.0.0.1"): Promise<boolean> {
  const socket = connect(port, host);
  socket.setTimeout(1000);
  return new Promise<boolean>((done) => {
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  }).finally(() => socket.destroy());
}

/**
 * Waits until a peer that is starting accepts connections on its loopback `port`; fails as soon as
 * `hasExited` says its process is gone, or after `timeoutMs`.
 */
export async function waitForPort(port: number, timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`it exited before listening on 127.0.0.1:${port}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`it did not listen on 127.0.0.1:${port} within ${timeoutMs / 1000} s`);
}
