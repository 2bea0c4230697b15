// Child processes for the dev and test stacks: output prefixed with the
// service name, each in its own process group so that stopping it also stops
// whatever it spawned (next dev forks workers), and a bounded wait on stop.
import { spawn, type ChildProcess } from "node:child_process";

const live = new Set<Service>();

/** Stops every process started here that is still running (e.g. on Ctrl-C during start-up). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...live].map((service) => service.stop()));
}

export type Service = { name: string; child: ChildProcess; exited: Promise<number | null>; stop: () => Promise<void> };

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env?: Record<string, string>; quiet?: boolean; onLine?: (line: string) => void } = {},
): Service {
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const prefix = `[${name}]`.padEnd(9);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        options.onLine?.(line);
        if (!options.quiet && line.trim()) process.stdout.write(`${prefix} ${line}\n`);
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    signalGroup(child.pid, "SIGTERM");
    const done = await Promise.race([exited.then(() => true), delay(8000).then(() => false)]);
    if (!done) {
      signalGroup(child.pid, "SIGKILL");
      await exited;
    }
  }
  const service = { name, child, exited, stop };
  live.add(service);
  void exited.then(() => live.delete(service));
  return service;
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls an HTTP URL until it answers (any status below 500) or the deadline passes. */
export async function waitForHttp(url: string, timeoutMs: number, isAlive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    if (isAlive && !isAlive()) throw new Error(`${url} will never answer: its process exited.`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
    await delay(250);
  }
}
