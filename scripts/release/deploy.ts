// bin/deploy and bin/rollback of a release, bundled into lib/deploy.mjs (node
// built-ins only: it runs on the host with plain `node`).
//
// The host layout (docs/deploy.md):
//   <root>/releases/<version>/   one unpacked release each, never changed once installed
//   <root>/current  -> releases/<version>   what the instances run (systemd: ExecStart=<root>/current/bin/start)
//   <root>/previous -> releases/<version>   what bin/rollback goes back to
//   <root>/deploy.log                        one line per deploy, rollback and failure
//
// A deploy installs the release, runs its migrations once, switches `current`
// atomically (rename of a new symlink over the old one), then restarts the
// instances one at a time, each passing GET /api/health before the next. If
// one fails, the rest are never touched: `current` goes back, and the
// instances already restarted are restarted again on the release they ran
// before. Migrations are not undone (they are forward-only and keep the
// previous release working), so going back needs nothing but a restart.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { treeOf } from "./tree";

type Options = {
  root: string;
  ports: number[];
  restartCommand: string;
  healthUrl: string;
  healthTimeoutMs: number;
  migrateEnvFile: string | null;
  keep: number;
  syncUrl: string | null;
};

const USAGE = `usage:
  bin/deploy <wallet-<version>.tar.gz | unpacked release directory> [options]
  bin/rollback [options]

options (each also read from the environment variable named after it):
  --root <dir>              WALLET_ROOT            default /srv/wallet
  --ports <p1,p2,…>         WALLET_PORTS           the instances' ports, restarted in this order (required)
  --restart-command <cmd>   WALLET_RESTART_COMMAND default "systemctl restart wallet@{port}"
  --health-url <url>        WALLET_HEALTH_URL      default "http://127.0.0.1:{port}/api/health"
  --health-timeout <s>      WALLET_HEALTH_TIMEOUT  default 60: how long one instance may take to answer 200
  --migrate-env-file <file> WALLET_MIGRATE_ENV_FILE default /etc/wallet/migrate.env if it exists (deploy only)
  --keep <n>                WALLET_KEEP            default 5 releases kept (current and previous always)
  --sync-url <url>          WALLET_SYNC_URL        e.g. https://wallet.example.com/api/inngest: once every instance
                                                   runs the release, PUT it so that the app registers its
                                                   workflows with Inngest (default: no sync)`;

class Refusal extends Error {}

const log = (line: string) => console.log(`[${new Date().toISOString()}] ${line}`);

function parseOptions(argv: string[]): { options: Options; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      root: { type: "string" },
      ports: { type: "string" },
      "restart-command": { type: "string" },
      "health-url": { type: "string" },
      "health-timeout": { type: "string" },
      "migrate-env-file": { type: "string" },
      keep: { type: "string" },
      "sync-url": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const env = process.env;
  const portsText = values.ports ?? env.WALLET_PORTS ?? "";
  const ports = portsText
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((text) => {
      const port = Number(text);
      // Ports go into a shell command: digits only.
      if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new Refusal(`--ports: ${text} is not a port`);
      return port;
    });
  if (!ports.length) throw new Refusal("--ports (or WALLET_PORTS) is required: the ports of the instances to restart, e.g. 3001,3002");
  if (new Set(ports).size !== ports.length) throw new Refusal("--ports: a port is listed twice");
  const seconds = Number(values["health-timeout"] ?? env.WALLET_HEALTH_TIMEOUT ?? "60");
  if (!(seconds > 0)) throw new Refusal("--health-timeout must be a number of seconds");
  const keep = Number(values.keep ?? env.WALLET_KEEP ?? "5");
  if (!Number.isInteger(keep) || keep < 2) throw new Refusal("--keep must be a whole number, at least 2");
  const defaultMigrateEnv = fs.existsSync("/etc/wallet/migrate.env") ? "/etc/wallet/migrate.env" : null;
  return {
    positionals,
    options: {
      root: path.resolve(values.root ?? env.WALLET_ROOT ?? "/srv/wallet"),
      ports,
      restartCommand: values["restart-command"] ?? env.WALLET_RESTART_COMMAND ?? "systemctl restart wallet@{port}",
      healthUrl: values["health-url"] ?? env.WALLET_HEALTH_URL ?? "http://127.0.0.1:{port}/api/health",
      healthTimeoutMs: seconds * 1000,
      migrateEnvFile: values["migrate-env-file"] ?? env.WALLET_MIGRATE_ENV_FILE ?? defaultMigrateEnv,
      keep,
      syncUrl: values["sync-url"] ?? env.WALLET_SYNC_URL ?? null,
    },
  };
}

// ── releases on disk ──────────────────────────────────────────────────────

type ReleaseInfo = { version: string; files: Record<string, string>; treeSha256: string };

function readRelease(dir: string): ReleaseInfo {
  const file = path.join(dir, "RELEASE.json");
  if (!fs.existsSync(file)) throw new Refusal(`${dir} is not a release: no RELEASE.json`);
  const info = JSON.parse(fs.readFileSync(file, "utf8")) as ReleaseInfo;
  if (!/^[0-9A-Za-z.+-]+$/.test(info.version ?? "")) throw new Refusal(`${file}: bad version`);
  return info;
}

/** Refuses a release whose files differ from its RELEASE.json (a corrupt copy, or one edited on the host). */
function verifyRelease(dir: string, info: ReleaseInfo) {
  const actual = treeOf(dir);
  const changed = [
    ...Object.keys(info.files).filter((name) => actual[name] !== info.files[name]),
    ...Object.keys(actual).filter((name) => !(name in info.files)),
  ];
  if (changed.length) throw new Refusal(`${dir} differs from its RELEASE.json (${changed.length} files, e.g. ${changed[0]})`);
}

function sha256File(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Unpacks (or copies) the release into <root>/releases/<version>, checked against its RELEASE.json; returns that directory. */
function install(source: string, root: string): { dir: string; info: ReleaseInfo } {
  const releases = path.join(root, "releases");
  fs.mkdirSync(releases, { recursive: true });
  const resolved = path.resolve(source);
  if (!fs.existsSync(resolved)) throw new Refusal(`${source} does not exist`);
  const isDirectory = fs.statSync(resolved).isDirectory();
  if (isDirectory && path.dirname(resolved) === releases) {
    const info = readRelease(resolved);
    verifyRelease(resolved, info);
    return { dir: resolved, info };
  }

  const staging = path.join(releases, `.incoming-${randomBytes(4).toString("hex")}`);
  fs.mkdirSync(staging);
  try {
    if (isDirectory) {
      fs.cpSync(resolved, path.join(staging, "release"), { recursive: true, verbatimSymlinks: true });
    } else {
      const checksumFile = `${resolved}.sha256`;
      if (!fs.existsSync(checksumFile))
        throw new Refusal(`${path.basename(checksumFile)} is missing beside the tarball: refusing an unverified release`);
      const expected = fs.readFileSync(checksumFile, "utf8").trim().split(/\s+/)[0];
      if (sha256File(resolved) !== expected) throw new Refusal(`${path.basename(resolved)} does not match its .sha256`);
      const tar = spawnSync("tar", ["-xzf", resolved, "-C", staging], { stdio: "inherit" });
      if (tar.status !== 0) throw new Refusal(`tar could not unpack ${resolved}`);
    }
    const top = fs.readdirSync(staging);
    if (top.length !== 1) throw new Refusal(`${path.basename(resolved)} should hold one directory, found ${top.length} entries`);
    const unpacked = path.join(staging, top[0]!);
    const info = readRelease(unpacked);
    verifyRelease(unpacked, info);
    const dir = path.join(releases, info.version);
    if (fs.existsSync(dir)) {
      verifyRelease(dir, info);
      log(`release ${info.version} is already installed`);
    } else {
      fs.renameSync(unpacked, dir);
      log(`installed ${info.version} in ${dir}`);
    }
    return { dir, info };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Where a symlink under root points (a release directory), or null. */
function target(root: string, name: "current" | "previous"): string | null {
  const link = path.join(root, name);
  try {
    return path.resolve(root, fs.readlinkSync(link));
  } catch {
    return null;
  }
}

/** Points <root>/<name> at a release in one rename: a reader sees the old target or the new, never none. */
function pointAt(root: string, name: "current" | "previous", releaseDir: string) {
  const temporary = path.join(root, `.${name}-${randomBytes(4).toString("hex")}`);
  fs.symlinkSync(path.relative(root, releaseDir), temporary);
  fs.renameSync(temporary, path.join(root, name));
}

// ── instances ─────────────────────────────────────────────────────────────

function restart(options: Options, port: number) {
  const command = options.restartCommand.replaceAll("{port}", String(port));
  // The command is the operator's own configuration (systemctl by default); the port in it is digits only.
  const result = spawnSync("sh", ["-c", command], { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`"${command}" exited with ${result.status ?? result.signal}`);
}

async function waitHealthy(options: Options, port: number): Promise<void> {
  const url = options.healthUrl.replaceAll("{port}", String(port));
  const deadline = Date.now() + options.healthTimeoutMs;
  let last = "no answer";
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      // 200 is "ok" or "degraded" (a dependency such as SMTP is slow): the instance serves.
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${options.healthTimeoutMs / 1000} s (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Switches `current` to `to` and restarts the instances one at a time behind
 * the health check. On a failure: `current` back to `from`, and the instances
 * already restarted (the failed one included) restarted on `from`.
 */
async function rollOut(options: Options, from: string | null, to: string): Promise<void> {
  pointAt(options.root, "current", to);
  log(`current -> ${path.basename(to)}`);
  const done: number[] = [];
  for (const port of options.ports) {
    done.push(port);
    try {
      log(`restarting the instance on :${port}`);
      restart(options, port);
      await waitHealthy(options, port);
      log(`instance on :${port} healthy on ${path.basename(to)}`);
    } catch (error) {
      const untouched = options.ports.filter((p) => !done.includes(p));
      log(`instance on :${port} failed: ${(error as Error).message}`);
      if (!from)
        throw new Error(`the instance on :${port} did not come up on ${path.basename(to)}, and there is no earlier release to go back to`);
      pointAt(options.root, "current", from);
      log(
        `current -> ${path.basename(from)} (back); ${untouched.length ? `never touched: ${untouched.map((p) => `:${p}`).join(", ")}` : "every instance was touched"}`,
      );
      for (const back of done) {
        restart(options, back);
        await waitHealthy(options, back);
        log(`instance on :${back} healthy on ${path.basename(from)}`);
      }
      throw new Error(`${path.basename(to)} failed on :${port}; every instance is back on ${path.basename(from)}`, { cause: error });
    }
  }
}

/**
 * Asks the app to register its workflows with Inngest (the SDK answers a PUT
 * on its serve URL by registering out of band, signed with its key). After a
 * rollout: a release may add, change or remove workflows.
 */
async function sync(options: Options) {
  if (!options.syncUrl) return;
  let answer: string;
  try {
    const response = await fetch(options.syncUrl, { method: "PUT", signal: AbortSignal.timeout(60_000) });
    if (response.ok) {
      log(`workflows registered with Inngest (PUT ${options.syncUrl})`);
      return;
    }
    answer = `HTTP ${response.status} ${(await response.text()).slice(0, 200)}`;
  } catch (error) {
    answer = (error as Error).message;
  }
  // The instances run the release and stay on it: only the registration is missing.
  throw new Error(
    `every instance runs the release, but registering the workflows failed (${answer}): retry with curl -X PUT ${options.syncUrl}`,
  );
}

function record(root: string, line: string) {
  fs.appendFileSync(path.join(root, "deploy.log"), `${new Date().toISOString()} ${line}\n`);
}

/** One deploy or rollback at a time per root: a directory created atomically is the lock. */
async function locked<T>(root: string, run: () => Promise<T>): Promise<T> {
  fs.mkdirSync(root, { recursive: true });
  const lock = path.join(root, ".deploy.lock");
  try {
    fs.mkdirSync(lock);
  } catch {
    throw new Refusal(`${lock} exists: another deploy or rollback is running (or one was killed: check, then remove it)`);
  }
  fs.writeFileSync(path.join(lock, "pid"), `${process.pid}\n`);
  try {
    return await run();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function migrate(options: Options, releaseDir: string) {
  const args = options.migrateEnvFile ? ["--env-file", options.migrateEnvFile] : [];
  log(`migrating with ${path.basename(releaseDir)}/bin/migrate${options.migrateEnvFile ? ` (${options.migrateEnvFile})` : ""}`);
  const result = spawnSync(path.join(releaseDir, "bin/migrate"), args, { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`bin/migrate of ${path.basename(releaseDir)} failed: nothing was switched or restarted`);
}

/** Deletes the oldest releases beyond `keep`, never the current or previous one. */
function prune(options: Options) {
  const releases = path.join(options.root, "releases");
  const inUse = new Set([target(options.root, "current"), target(options.root, "previous")]);
  const all = fs
    .readdirSync(releases, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => ({ dir: path.join(releases, entry.name), mtime: fs.statSync(path.join(releases, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const release of all.slice(options.keep)) {
    if (inUse.has(release.dir)) continue;
    fs.rmSync(release.dir, { recursive: true, force: true });
    log(`removed the old release ${path.basename(release.dir)}`);
  }
}

async function deploy(options: Options, source: string | undefined) {
  if (!source) throw new Refusal(`bin/deploy needs the release to deploy\n${USAGE}`);
  await locked(options.root, async () => {
    const { dir, info } = install(source, options.root);
    const from = target(options.root, "current");
    if (from === dir) {
      log(`${info.version} is already current: nothing to do`);
      return;
    }
    migrate(options, dir);
    try {
      await rollOut(options, from, dir);
    } catch (error) {
      record(options.root, `deploy ${info.version} FAILED, back on ${from ? path.basename(from) : "nothing"}: ${(error as Error).message}`);
      throw error;
    }
    if (from) pointAt(options.root, "previous", from);
    // A fresh timestamp: pruning keeps the most recently deployed releases.
    const now = new Date();
    fs.utimesSync(dir, now, now);
    record(options.root, `deploy ${info.version} (from ${from ? path.basename(from) : "nothing"})`);
    log(`deployed ${info.version} on ${options.ports.map((p) => `:${p}`).join(", ")}`);
    prune(options);
    await sync(options);
  });
}

async function rollback(options: Options) {
  await locked(options.root, async () => {
    const from = target(options.root, "current");
    const to = target(options.root, "previous");
    if (!to || !fs.existsSync(to)) throw new Refusal(`no previous release to roll back to (${path.join(options.root, "previous")})`);
    if (!from) throw new Refusal(`nothing is deployed (${path.join(options.root, "current")} is missing)`);
    if (from === to) throw new Refusal(`previous and current are both ${path.basename(to)}`);
    verifyRelease(to, readRelease(to));
    try {
      await rollOut(options, from, to);
    } catch (error) {
      record(options.root, `rollback to ${path.basename(to)} FAILED, back on ${path.basename(from)}: ${(error as Error).message}`);
      throw error;
    }
    // A second rollback undoes this one.
    pointAt(options.root, "previous", from);
    record(options.root, `rollback to ${path.basename(to)} (from ${path.basename(from)})`);
    log(`rolled back to ${path.basename(to)} on ${options.ports.map((p) => `:${p}`).join(", ")}`);
    await sync(options);
  });
}

async function main() {
  const [action, ...rest] = process.argv.slice(2);
  try {
    const { options, positionals } = parseOptions(rest);
    if (action === "deploy") await deploy(options, positionals[0]);
    else if (action === "rollback") await rollback(options);
    else throw new Refusal(USAGE);
  } catch (error) {
    console.error(`${action ?? "deploy"}: ${(error as Error).message}`);
    process.exit(error instanceof Refusal ? 2 : 1);
  }
}

await main();
