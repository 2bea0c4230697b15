// npm run bench:api — throughput and latency of the production build, next to
// a bare node:http + pg server doing the same database work (issue 13: the
// API should stay within 2x of it).
//
//   npm run bench:api -- [--duration 10] [--connections 50] [--rounds 2] [--warmup 5]
//                        [--only account,baseline] [--no-build] [--profile]
//
// It builds when .next is missing or older than the sources, starts the
// production stack (the standalone server, embedded PostgreSQL, the mail catcher, the
// engine) on free ports in 40000–49999 (the stack seeds the demo users), signs
// a fresh user up through the API with an email address, signs them in through
// next-auth's own endpoints, reads the verify link the app mailed them (the
// page then renders its "valid" state), and drives each endpoint with autocannon,
// in-process, round after round. It prints one table and writes it as JSON to
// .data/bench/api-<timestamp>.json. Every answer's status is counted: an
// endpoint that answers anything but its expected status fails the run.
//
// --profile samples the app's CPU (V8's profiler through the inspector, on a
// loopback port) during each endpoint's first round only, writes
// .data/bench/profiles/<timestamp>-<endpoint>.cpuprofile and prints where the
// time went (scripts/bench/profile-summary.ts; also saved beside each profile as
// .summary.txt/.json, since a rebuild replaces the source maps it reads). Profiling slows the app: its
// numbers are for the shares, not for the table.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { E2E_INNGEST_KEYS, E2E_SECRETS } from "../lib/e2e-env";
import { delay, waitForHttp } from "../lib/processes";
import { startStack, type Stack } from "../lib/stack";
import { formatSummary, summarise } from "./profile-summary";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.CHECKPOINT_DISABLE = "1";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT_DIR = path.join(ROOT, ".data/bench");

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    rounds: { type: "string", default: "2" },
    warmup: { type: "string", default: "5" },
    only: { type: "string" },
    "no-build": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  const lines = fs.readFileSync(import.meta.filename, "utf8").split("\n");
  console.log(
    lines
      .slice(
        0,
        lines.findIndex((line) => !line.startsWith("//")),
      )
      .map((line) => line.replace(/^\/\/ ?/, ""))
      .join("\n"),
  );
  process.exit(0);
}
const DURATION = positive("duration", args.duration);
const CONNECTIONS = positive("connections", args.connections);
const ROUNDS = positive("rounds", args.rounds);
const WARMUP = positive("warmup", args.warmup);

function positive(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    console.error(`--${name} must be a whole number above 0 (got ${value})`);
    process.exit(2);
  }
  return number;
}

// ── the build ─────────────────────────────────────────────────────────────

const SOURCES = [
  "app",
  "components",
  "lib",
  "server",
  "emails",
  "inngest",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
];

function newestSource(): number {
  let newest = 0;
  const walk = (file: string) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(file)) if (entry !== "node_modules" && !entry.startsWith(".")) walk(path.join(file, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const source of SOURCES) walk(path.join(ROOT, source));
  return newest;
}

function ensureBuild() {
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  const built = fs.statSync(buildId, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (args["no-build"]) {
    if (!built) throw new Error("--no-build, but there is no production build: run `npx next build` first.");
    return;
  }
  if (built && built >= newestSource()) return;
  console.log(built ? "The build is older than the sources: building…" : "No production build: building…");
  const run = spawn(path.join(ROOT, "node_modules/.bin/next"), ["build"], { cwd: ROOT, stdio: "inherit" });
  return new Promise<void>((resolve, reject) =>
    run.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with ${code}`)))),
  );
}

// ── ports, sign-in, the confirm link ────────────────────────────────────────

const taken = new Set<number>();

/** A port in 40000–49999 nothing listens on (the shared machine's services use fixed ports below). */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 40000 + Math.floor(Math.random() * 10000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
  throw new Error("no free port in 40000–49999");
}

/** A minimal cookie jar: name=value pairs from Set-Cookie, sent back as one Cookie header. */
class Jar {
  private cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
  }
  get(name: string) {
    return this.cookies.get(name);
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/** The bench's user: a fresh account per run, so that no mail cap or cooldown of an earlier run gets in the way. */
type BenchUser = { id: string; phone: string; password: string; fullName: string; email: string };

/** Signs a new user up through the API with an email address: the app mails them a verify link. */
async function signUp(appUrl: string): Promise<BenchUser> {
  for (let attempt = 1; ; attempt++) {
    const user = {
      phone: `98${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
      password: "bench-password-42",
      fullName: "Bench Runner",
      email: `bench.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}@example.test`,
    };
    const response = await fetch(`${appUrl}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: appUrl },
      body: JSON.stringify(user),
    });
    // A random number can, rarely, belong to an account from an earlier run.
    if (response.status === 409 && attempt < 3) continue;
    if (response.status !== 201) throw new Error(`POST /api/auth/signup answered ${response.status}: ${await response.text()}`);
    const { user: created } = (await response.json()) as { user: { id: string } };
    return { ...user, id: created.id };
  }
}

/** Signs the user in through next-auth's credentials endpoint, as the sign-in form does; returns the session cookie. */
async function signIn(appUrl: string, user: BenchUser): Promise<string> {
  const jar = new Jar();
  const csrf = await fetch(`${appUrl}/api/auth/csrf`);
  jar.take(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, phone: user.phone, password: user.password, json: "true" }),
  });
  jar.take(callback);
  const session = jar.get("next-auth.session-token");
  if (!session) throw new Error(`signing the bench user in failed: HTTP ${callback.status}, no session cookie`);
  return `next-auth.session-token=${session}`;
}

/** The token of the verify link the app mailed the user at sign-up, from the inbox. */
async function confirmToken(inboxUrl: string, user: BenchUser): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const messages = (await (await fetch(`${inboxUrl}/api/messages?to=${encodeURIComponent(user.email)}`)).json()) as { text: string }[];
    const link = messages[0]?.text.match(/https?:\/\/\S+\/email\/confirm\?token=([A-Za-z0-9_-]{43})/);
    if (link) return link[1]!;
    await delay(200);
  }
  throw new Error("the verify email did not arrive within 60 s (is the engine running the workflow?)");
}

// ── the load ──────────────────────────────────────────────────────────────

type Target = {
  name: string;
  label: string;
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  expect: number;
  /** A check of one answer's body before the load (the page really is in the state it should be). */
  check?: (body: string) => boolean;
};

type Result = {
  endpoint: string;
  label: string;
  round: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  ratio: number | null;
  unexpected: boolean;
};

async function drive(target: Target, duration: number, connections: number): Promise<autocannon.Result> {
  return autocannon({
    url: target.url,
    method: target.method ?? "GET",
    headers: target.headers,
    body: target.body,
    duration,
    connections,
  });
}

function statusesOf(result: autocannon.Result): Record<string, number> {
  const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return Object.fromEntries(Object.entries(stats).map(([code, { count }]) => [code, count]));
}

// ── profiling through the inspector ───────────────────────────────────────

class Inspector {
  private next = 0;
  private waiting = new Map<number, (value: { result?: unknown; error?: { message: string } }) => void>();
  private constructor(private socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (message.id !== undefined) this.waiting.get(message.id)?.(message);
    });
  }
  static async connect(port: number): Promise<Inspector> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
    const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", reject, { once: true });
    });
    return new Inspector(socket);
  }
  async send<T>(method: string, params: object = {}): Promise<T> {
    const id = ++this.next;
    const answer = new Promise<{ result?: unknown; error?: { message: string } }>((resolve) => this.waiting.set(id, resolve));
    this.socket.send(JSON.stringify({ id, method, params }));
    const { result, error } = await answer;
    this.waiting.delete(id);
    if (error) throw new Error(`${method}: ${error.message}`);
    return result as T;
  }
  close() {
    this.socket.close();
  }
}

// ── the run ─────────────────────────────────────────────────────────────────

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main() {
  if (args.profile && typeof WebSocket === "undefined") {
    // Node 20 has the WebSocket client behind a flag: run again with it.
    const child = spawn(process.execPath, ["--experimental-websocket", ...process.execArgv, ...process.argv.slice(1)], {
      stdio: "inherit",
    });
    child.once("exit", (code) => process.exit(code ?? 1));
    return;
  }
  await ensureBuild();

  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  // Numbers from a machine that is busy with other work say little: say so up front and in the JSON.
  const loadBefore = os.loadavg();
  if (loadBefore[0]! > os.cpus().length * 0.5) {
    console.warn(
      `Warning: the machine is busy (load ${loadBefore[0]!.toFixed(1)} on ${os.cpus().length} cores): the numbers will be noisy.`,
    );
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const logPath = path.join(OUT_DIR, `api-${stamp}.log`);
  const log = fs.createWriteStream(logPath);

  const ports = {
    app: await freePort(),
    postgres: await freePort(),
    smtp: await freePort(),
    inbox: await freePort(),
    engine: await freePort(),
  };
  const baselinePort = await freePort();
  const inspectPort = args.profile ? await freePort() : null;
  // The embedded database and catcher: a DATABASE_URL or SMTP_URL from the
  // shell would point the stack at a shared server (and skip the demo users).
  delete process.env.DATABASE_URL;
  delete process.env.SMTP_URL;

  let stack: Stack | null = null;
  let baseline: ChildProcess | null = null;
  let inspector: Inspector | null = null;
  const stopAll = async () => {
    inspector?.close();
    if (baseline?.exitCode === null) {
      baseline.kill("SIGTERM");
      await new Promise((resolve) => baseline!.once("exit", resolve));
    }
    await stack?.stop();
  };
  process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));
  process.once("SIGTERM", () => void stopAll().then(() => process.exit(143)));

  let failed = false;
  try {
    console.log(`Starting the production stack (app on ${ports.app}, PostgreSQL on ${ports.postgres})…`);
    stack = await startStack({
      mode: "e2e",
      ports,
      dataDir: ".data/pg-bench",
      database: "app_bench",
      appEnv: {
        ...E2E_SECRETS,
        LOG_LEVEL: "warn",
        // Every request comes from one address: the per-client budgets (the
        // confirm endpoint's above all) would otherwise turn the run into a 429 test.
        CLIENT_BUDGET_SCALE: "1000000",
        ...(inspectPort ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --inspect=127.0.0.1:${inspectPort}`.trim() } : {}),
      },
      inngestCloud: E2E_INNGEST_KEYS,
      quietApp: true,
      onAppLine: (line) => log.write(`[next] ${line}\n`),
      onEngineLine: (line) => log.write(`[engine] ${line}\n`),
    });
    const app = `http://127.0.0.1:${ports.app}`;
    const user = await signUp(stack.urls.app);
    const cookie = await signIn(stack.urls.app, user);
    const token = await confirmToken(stack.urls.inbox!, user);

    // The baseline reads the same session row and user, named in a plain cookie.
    const db = new (await import("pg")).default.Client({ connectionString: stack.urls.database });
    await db.connect();
    const { rows } = await db.query<{ id: string; session_version: number }>(
      `SELECT s.id, u.session_version FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.user_id = $1 AND s.ended_at IS NULL ORDER BY s.created_at DESC LIMIT 1`,
      [user.id],
    );
    await db.end();
    const baselineCookie = `bench-session=${rows[0]!.id}.${user.id}.${rows[0]!.session_version}`;
    baseline = spawn(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "scripts/bench/baseline-server.ts")], {
      env: { ...process.env, DATABASE_URL: stack.urls.database, PORT: String(baselinePort), NODE_OPTIONS: "" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    await waitForHttp(`http://127.0.0.1:${baselinePort}/health`, 30_000, () => baseline!.exitCode === null);

    const json = { "content-type": "application/json" };
    const all: Target[] = [
      {
        name: "baseline",
        label: "baseline: node:http + pg, account queries",
        url: `http://127.0.0.1:${baselinePort}/api/account`,
        headers: { cookie: baselineCookie },
        expect: 200,
      },
      {
        name: "account",
        label: "GET /api/account (signed in)",
        url: `${app}/api/account`,
        headers: { cookie },
        expect: 200,
        check: (body) => body.includes(`"id":"${user.id}"`),
      },
      {
        name: "confirm-unknown",
        label: "POST /api/email/confirm (unknown token)",
        url: `${app}/api/email/confirm`,
        method: "POST",
        headers: json,
        body: JSON.stringify({ token: "x".repeat(43) }),
        expect: 404,
        check: (body) => body.includes("LINK_INVALID"),
      },
      {
        name: "confirm-page",
        label: "GET /email/confirm (valid token)",
        url: `${app}/email/confirm?token=${token}`,
        expect: 200,
        check: (body) => body.includes('data-testid="link-valid"'),
      },
      {
        name: "profile",
        label: "GET /profile (signed in)",
        url: `${app}/profile`,
        headers: { cookie },
        expect: 200,
        check: (body) => body.includes(user.fullName),
      },
      { name: "signin-page", label: "GET /signin (signed out)", url: `${app}/signin`, expect: 200 },
    ];
    const targets = all.filter((target) => !args.only || args.only.split(",").includes(target.name));
    if (!targets.length) throw new Error(`--only ${args.only}: no such endpoint`);

    // One answer each, checked, and a warm-up at full load: the first requests
    // load route modules and warm the JIT, which is not what is being measured
    // (with a short one the first round came out at half the second).
    for (const target of targets) {
      const response = await fetch(target.url, {
        method: target.method ?? "GET",
        headers: target.headers,
        body: target.body,
        redirect: "manual",
      });
      const body = await response.text();
      if (response.status !== target.expect || (target.check && !target.check(body))) {
        throw new Error(
          `${target.label} answered ${response.status}, expected ${target.expect}${target.check ? " and the expected body" : ""}`,
        );
      }
      await drive(target, WARMUP, CONNECTIONS);
    }

    if (inspectPort) {
      inspector = await Inspector.connect(inspectPort);
      await inspector.send("Profiler.enable");
      await inspector.send("Profiler.setSamplingInterval", { interval: 500 });
    }

    const results: Result[] = [];
    const profiles: { endpoint: string; file: string }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const target of targets) {
        process.stdout.write(`round ${round}/${ROUNDS}: ${target.label}… `);
        const profiling = inspector && round === 1 && target.name !== "baseline";
        if (profiling) await inspector!.send("Profiler.start");
        const result = await drive(target, DURATION, CONNECTIONS);
        if (profiling) {
          const { profile } = await inspector!.send<{ profile: unknown }>("Profiler.stop");
          const file = path.join(OUT_DIR, "profiles", `${stamp}-${target.name}.cpuprofile`);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, JSON.stringify(profile));
          profiles.push({ endpoint: target.label, file });
        }
        const statuses = statusesOf(result);
        const unexpected = Object.keys(statuses).some((code) => Number(code) !== target.expect) || result.errors > 0 || result.timeouts > 0;
        results.push({
          endpoint: target.name,
          label: target.label,
          round,
          requestsPerSecond: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
          ratio: null,
          unexpected,
        });
        console.log(`${fmt(result.requests.average)} req/s${unexpected ? "  UNEXPECTED ANSWERS" : ""}`);
        failed ||= unexpected;
      }
    }
    // The ratio is against the baseline of the same round (the machine's load changes between rounds).
    for (const result of results) {
      const base = results.find((other) => other.endpoint === "baseline" && other.round === result.round);
      result.ratio = base && result.requestsPerSecond > 0 ? base.requestsPerSecond / result.requestsPerSecond : null;
    }

    const header = ["endpoint", "round", "req/s", "p50 ms", "p99 ms", "baseline/app", "statuses"];
    const table = results.map((result) => [
      result.label,
      String(result.round),
      fmt(result.requestsPerSecond),
      fmt(result.p50),
      fmt(result.p99),
      result.endpoint === "baseline" || result.ratio === null ? "" : `${fmt(result.ratio, 1)}x`,
      Object.entries(result.statuses)
        .map(([code, count]) => `${code}: ${count}`)
        .concat(result.errors ? [`errors: ${result.errors}`] : [], result.timeouts ? [`timeouts: ${result.timeouts}`] : [])
        .join(", ") + (result.unexpected ? "  ← UNEXPECTED" : ""),
    ]);
    const widths = header.map((title, column) => Math.max(title.length, ...table.map((row) => row[column]!.length)));
    const line = (row: string[]) =>
      row.map((cell, column) => (column === 0 || column === 6 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
    const load = `load ${loadBefore[0]!.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;
    console.log(`\n${DURATION} s × ${ROUNDS} rounds, ${CONNECTIONS} connections, ${load}${args.profile ? ", PROFILING (slower)" : ""}\n`);
    console.log(line(header));
    console.log(widths.map((width) => "-".repeat(width)).join("  "));
    for (const row of table) console.log(line(row));

    for (const { endpoint, file } of profiles) {
      console.log(`\n── ${endpoint}: ${path.relative(ROOT, file)}\n`);
      const summary = summarise(file, 12);
      console.log(formatSummary(summary));
      // The attribution needs this build's source maps: keep it as read now, beside the profile.
      const full = summarise(file, 40);
      fs.writeFileSync(file.replace(/\.cpuprofile$/, ".summary.txt"), `${formatSummary(full)}\n`);
      fs.writeFileSync(file.replace(/\.cpuprofile$/, ".summary.json"), `${JSON.stringify(full, null, 2)}\n`);
    }

    const out = path.join(OUT_DIR, `api-${stamp}.json`);
    fs.writeFileSync(
      out,
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          options: { duration: DURATION, connections: CONNECTIONS, rounds: ROUNDS, profile: args.profile },
          machine: { cpus: os.cpus().length, loadBefore, loadAfter: os.loadavg(), node: process.version },
          results,
          profiles: profiles.map((profile) => ({ ...profile, file: path.relative(ROOT, profile.file) })),
        },
        null,
        2,
      )}\n`,
    );
    console.log(`\nWrote ${path.relative(ROOT, out)} (the stack's log: ${path.relative(ROOT, logPath)})`);
    if (failed) console.error("\nFAILED: an endpoint answered a status other than its expected one (see statuses).");
  } finally {
    await stopAll();
    log.end();
  }
  process.exit(failed ? 1 : 0);
}

await main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
