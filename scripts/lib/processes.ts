// Child processes for the dev and test stacks: output prefixed with the
// service name, each in its own process group so that stopping it also stops
// whatever it spawned (next dev forks workers), and a bounded wait on stop.
//
// Because they run in their own groups, a terminal's Ctrl-C or hang-up reaches
// only us, and we stop them in order. If we die without stopping them (kill -9,
// a crash), they would outlive us and keep their ports: `claimRun` records
// them in a file, and the next run stops what a dead run left behind.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const live = new Set<Service>();

/** Stops every process started here that is still running (e.g. on Ctrl-C during start-up). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...live].map((service) => service.stop()));
}

// Whatever happens to us, our children must not outlive us.
process.on("exit", () => {
  for (const service of live) if (service.child.pid) signalGroup(service.child.pid, "SIGTERM");
});

export type Service = { name: string; child: ChildProcess; exited: Promise<number | null>; stop: () => Promise<void> };

export type ProcessOptions = {
  /** Added to our environment; an undefined value removes an inherited variable. */
  env?: Record<string, string | undefined>;
  /** false: `env` is the whole environment, as a service manager would give it (the release smoke). */
  inheritEnv?: boolean;
  quiet?: boolean;
  /** Every line, printed or not. */
  onLine?: (line: string) => void;
  /** Whether to print a line (default: every non-blank line). */
  show?: (line: string) => boolean;
};

/** Calls `onLine` with each complete line a child writes to stdout or stderr (piped). */
export function eachLine(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
  }
}

export function startProcess(name: string, command: string, args: string[], options: ProcessOptions = {}): Service {
  const child = spawn(command, args, {
    env: { ...(options.inheritEnv === false ? {} : process.env), ...options.env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const prefix = `[${name}]`.padEnd(9);
  eachLine(child, (line) => {
    options.onLine?.(line);
    if (options.quiet || !isVisible(line)) return;
    if (options.show && !options.show(line)) return;
    printLine(`${prefix} ${line}`);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const service = { name, child, exited, stop: () => stopGroup(child) };
  live.add(service);
  record(name, child.pid, command);
  void exited.then(() => {
    live.delete(service);
    unrecord(child.pid);
  });
  return service;
}

/** A line with something to read once colour and cursor codes are removed. */
function isVisible(line: string): boolean {
  return line.replace(/\x1B\[[0-9;?]*[A-Za-z]/g, "").trim() !== "";
}

/** SIGTERM to the child's process group, SIGKILL if it has not exited after `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs = 8000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  signalGroup(child.pid, "SIGTERM");
  if (!(await Promise.race([exited.then(() => true), delay(graceMs).then(() => false)]))) {
    signalGroup(child.pid, "SIGKILL");
    await exited;
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Whether a command is installed and runs (`<command> --version`). */
export function commandRuns(command: string): boolean {
  return !spawnSync(command, ["--version"], { stdio: "ignore" }).error;
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls an HTTP URL until it answers (any status below 500) or the deadline passes. */
export async function waitForHttp(url: string, timeoutMs: number, isAlive?: () => boolean, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    signal?.throwIfAborted();
    if (isAlive && !isAlive()) throw new Error(`${url} will never answer: its process exited.`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
    await delay(250);
  }
}

// ── the terminal: step lines and service output share it ──────────────────

let openStep: { id: number; label: string; started: number } | null = null;
let lastStepId = 0;

export const stepIsOpen = () => openStep !== null;

/** Prints one line, first ending a step line left open by `startStep`. */
export function printLine(text: string): void {
  if (openStep?.label) {
    process.stdout.write("\n");
    openStep = { ...openStep, label: "" };
  }
  process.stdout.write(`${text}\n`);
}

/** "Starting PostgreSQL…" now; `endStep` completes the line with the time it took. Returns the step's id. */
export function startStep(label: string): number {
  if (openStep) endStep("interrupted");
  process.stdout.write(`${label}… `);
  openStep = { id: ++lastStepId, label, started: Date.now() };
  return openStep.id;
}

/** Ends the open step (only if it is step `id`, when given). */
export function endStep(detail?: string, id?: number): void {
  if (!openStep || (id !== undefined && id !== openStep.id)) return;
  const seconds = `${((Date.now() - openStep.started) / 1000).toFixed(1)} s`;
  const text = detail ? `${seconds}, ${detail}` : seconds;
  // When service output interrupted the line, say which step finished.
  process.stdout.write(openStep.label ? `${text}\n` : `  (${text})\n`);
  openStep = null;
}

// ── what a run started, so that the next run can clean up after a killed one ─

type Registry = { owner: number; ownerCommand: string; services: { name: string; pid: number; command: string }[] };
let registryFile: string | null = null;

/**
 * Makes `file` this run's record of the processes it starts. Refuses when a live
 * run holds it; stops the processes a dead run (killed, or its terminal closed)
 * left behind, and returns their descriptions.
 */
export async function claimRun(file: string, what: string): Promise<string[]> {
  const previous = readRegistry(file);
  const stopped: string[] = [];
  if (previous && previous.owner !== process.pid) {
    if (isAlive(previous.owner) && commandLine(previous.owner).includes(previous.ownerCommand)) {
      throw new Error(`${what} is already running (pid ${previous.owner}); stop it first.`);
    }
    for (const service of previous.services) {
      if (!isAlive(service.pid) || !commandLine(service.pid).includes(service.command)) continue;
      signalGroup(service.pid, "SIGTERM");
      for (let waited = 0; isAlive(service.pid) && waited < 8000; waited += 100) await delay(100);
      if (isAlive(service.pid)) signalGroup(service.pid, "SIGKILL");
      stopped.push(`${service.name} (pid ${service.pid})`);
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  registryFile = file;
  writeRegistry({ owner: process.pid, ownerCommand: path.basename(process.argv[1] ?? "node"), services: [] });
  return stopped;
}

/** Forgets the record once everything has stopped. */
export function releaseRun(): void {
  if (registryFile) fs.rmSync(registryFile, { force: true });
  registryFile = null;
}

function record(name: string, pid: number | undefined, command: string) {
  const registry = registryFile && readRegistry(registryFile);
  if (!registry || !pid) return;
  registry.services.push({ name, pid, command });
  writeRegistry(registry);
}

function unrecord(pid: number | undefined) {
  const registry = registryFile && readRegistry(registryFile);
  if (!registry) return;
  registry.services = registry.services.filter((service) => service.pid !== pid);
  writeRegistry(registry);
}

function readRegistry(file: string): Registry | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Registry;
  } catch {
    return null;
  }
}

function writeRegistry(registry: Registry) {
  if (registryFile) fs.writeFileSync(registryFile, `${JSON.stringify(registry)}\n`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}
