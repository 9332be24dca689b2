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
 * Runs `command args` under a shell that kills it with `signal` when our end of the shell's stdin
 * closes, which happens on stop() and whenever this process dies for any reason, so a crashed test
 * run leaves no broker or mock cluster behind. The shell exits with the peer, so `exited` also
 * reports a peer that died by itself.
 */
export function tiedSpawn(
  command: string,
  args: string[],
  { signal = "TERM", stdout = "ignore" }: { signal?: "TERM" | "KILL"; stdout?: "ignore" | "pipe" } = {},
): TiedProcess {
  const child = spawn("sh", ["-c", tieScript(signal), command, command, ...args], { stdio: ["pipe", stdout, "pipe"] });
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

/**
 * The peer runs in the background; a watcher, reading the shell's stdin through fd 3 (a background
 * job's own stdin is /dev/null), kills it at end of input. The shell waits for the peer, not for its
 * input, and exits with the peer's status.
 */
function tieScript(signal: "TERM" | "KILL"): string {
  return [
    "exec 3<&0",
    '"$@" </dev/null & peer=$!',
    `{ read -r _ <&3; kill -${signal} "$peer" 2>/dev/null; } & watcher=$!`,
    'wait "$peer"; status=$?',
    'kill "$watcher" 2>/dev/null',
    'exit "$status"',
  ].join("\n");
}
