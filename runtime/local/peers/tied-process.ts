import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";

/** A peer's process that cannot outlive the process that started it. */
export interface TiedProcess {
  /** The wrapping shell; its stderr is the peer's. */
  child: ChildProcess;
  /** Resolves when the peer has exited. */
  exited: Promise<unknown>;
  /** Stops the peer (with `signal`, see tiedSpawn) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Runs `command args` under a shell that kills it with `signal` when our end of its stdin closes,
 * which happens on stop() and whenever this process dies for any reason, so a crashed test run
 * leaves no broker or mock cluster behind.
 */
export function tiedSpawn(
  command: string,
  args: string[],
  { signal = "TERM", stdout = "ignore" }: { signal?: "TERM" | "KILL"; stdout?: "ignore" | "pipe" } = {},
): TiedProcess {
  const child = spawn(
    "sh",
    ["-c", `"$@" & peer=$!; read -r _; kill -${signal} "$peer"; wait "$peer"; exit 0`, command, command, ...args],
    { stdio: ["pipe", stdout, "pipe"] },
  );
  const exited = once(child, "exit");
  return {
    child,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.stdin!.end();
      await exited;
    },
  };
}
