// npm run release:smoke — the release as a clean host would get it. CI runs it
// right after `next build` (npm test's "release" step):
//
//  1. packs the artefact from that build (npm run release -- --no-build) and
//     unpacks it into an empty temporary directory outside the repository,
//     checking its .sha256 and that it reaches nothing outside itself;
//  2. migrates a fresh database with the release's own bin/migrate;
//  3. starts what production talks to: the local engine in signed (cloud)
//     mode, and the mail catcher behind TLS; and a TLS front for the app, so
//     that the app runs with a real production environment (https APP_URL,
//     SMTP over TLS, no APP_ENV, no INNGEST_DEV, fresh secrets);
//  4. checks that bin/start refuses a bad environment;
//  5. deploys the release with bin/deploy onto two instances run by a tiny
//     supervisor standing in for systemd (its restart command is
//     WALLET_RESTART_COMMAND), and runs the smoke flow over HTTPS: health,
//     sign-up, the verification email through the engine and SMTP, the link,
//     sign-in, the account, /api/metrics with its token;
//  6. deploys the same build under another version (a rolling restart behind
//     the health check), then a release that cannot start (the deploy stops,
//     the untouched instance keeps running, the other goes back), then rolls back;
//  7. checks that no secret, token, password or full address reached the logs.
//
// Every port is a free one in 40000–49999; everything started is stopped and
// every directory and the database removed, pass or fail.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { startMailCatcher, type MailCatcher } from "@wallet/mail-catcher";
import { delay, signalGroup, startProcess, stopGroup, waitForHttp, type Service } from "../lib/processes";
import { scratchDatabase, testDatabaseServer } from "../lib/test-database";
import { buildRelease } from "./build";
import { treeHash, treeOf } from "./tree";

const ROOT = path.resolve(import.meta.dirname, "../..");
const started = Date.now();
const cleanups: (() => Promise<void> | void)[] = [];
// Every child runs in its own process group (so that stopping it stops what it
// forked): if this run dies before its cleanups, the groups still get SIGTERM.
const children = new Set<ChildProcess>();
const track = (child: ChildProcess) => {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
};
process.on("exit", () => {
  for (const child of children) if (child.pid) signalGroup(child.pid, "SIGTERM");
});
const logLines: string[] = [];

const step = (text: string) => console.log(`[release smoke +${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`FAILED: ${message}`);
}

/** Polls until `probe` returns a value (not undefined) or the deadline passes. */
async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`FAILED: ${what} within ${timeoutMs / 1000} s${last ? ` (${(last as Error).message})` : ""}`);
    await delay(200);
  }
}

const usedPorts = new Set<number>();
/** A port in 40000–49999 that nothing listens on (and that this run has not handed out). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = randomInt(40000, 50000);
    if (usedPorts.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) {
      usedPorts.add(port);
      return port;
    }
  }
}

// ── HTTP(S) as a client outside the machine would see it ───────────────────

type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string };

function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; ca?: Buffer } = {},
): Promise<Answer> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: options.method ?? "GET", headers: options.headers, ca: options.ca, timeout: 15_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") }),
        );
        response.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${url}: no answer in 15 s`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** The name=value pairs of a response's Set-Cookie headers. */
function cookiesOf(answer: Answer): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of answer.headers["set-cookie"] ?? []) {
    const [pair] = line.split(";");
    const index = pair!.indexOf("=");
    cookies.set(pair!.slice(0, index), pair!.slice(index + 1));
  }
  return cookies;
}

// ── TLS in front of plain services: what a reverse proxy and a relay give production ──

function makeCertificate(dir: string): { key: Buffer; cert: Buffer; certFile: string } {
  const keyFile = path.join(dir, "key.pem");
  const certFile = path.join(dir, "cert.pem");
  const made = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=localhost"].concat([
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ]),
    { encoding: "utf8" },
  );
  check(made.status === 0, `openssl could not make a test certificate: ${made.stderr}`);
  return { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile), certFile };
}

/**
 * Terminates TLS on `port` and passes the bytes to the first upstream that
 * accepts a connection: the HTTPS front of the app instances (a reverse
 * proxy that fails over) or the SMTPS front of the catcher.
 */
async function tlsFront(port: number, certificate: { key: Buffer; cert: Buffer }, upstreams: () => number[]): Promise<() => Promise<void>> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: certificate.key, cert: certificate.cert }, (client) => {
    sockets.add(client);
    client.once("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    const candidates = [...upstreams()];
    const attempt = () => {
      const port = candidates.shift();
      if (port === undefined) return client.destroy();
      const upstream = net.connect(port, "127.0.0.1");
      let connected = false;
      sockets.add(upstream);
      upstream.once("close", () => sockets.delete(upstream));
      client.once("close", () => upstream.destroy());
      upstream.once("error", () => {
        upstream.destroy();
        // Refused (the instance is restarting): the next one, as a proxy with failover does.
        if (!connected) attempt();
        else client.destroy();
      });
      upstream.once("connect", () => {
        connected = true;
        client.pipe(upstream).pipe(client);
      });
    };
    attempt();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

// ── processes ───────────────────────────────────────────────────────────────

/** Only what a service manager gives a process: no NODE_OPTIONS, NODE_PATH or loader from this run. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // NODE_ENV too: the typings require it, and bin/start sets production over it anyway.
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), LANG: "C.UTF-8", NODE_ENV: "production", ...extra };
}

/** Runs a release command to completion with a clean environment; returns its exit code and output. Asynchronous: the supervisor, the fronts and the catcher live in this process and must keep answering. */
async function run(command: string, args: string[], env: Record<string, string>, timeoutMs = 60_000) {
  const child = track(spawn(command, args, { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"], detached: true }));
  let output = "";
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const timer = setTimeout(() => void stopGroup(child, 10_000), timeoutMs);
  const status = await new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  clearTimeout(timer);
  for (const line of output.split("\n")) if (line) logLines.push(`[${path.basename(command)}] ${line}`);
  return { status, output };
}

/**
 * Stands in for systemd: one instance per port, each `<root>/current/bin/start`
 * as the unit's ExecStart, restarted on request (the restart command the
 * deploy tool runs is a small script that asks this server). A restart, like
 * `systemctl restart`, stops the old process, starts the new one and returns
 * without waiting for it to be ready: the deploy's health gate does that.
 */
async function startSupervisor(options: { root: string; envFile: string; caFile: string; dir: string }) {
  const instances = new Map<number, Service>();
  const start = (port: number) => {
    const instance = startProcess(`app :${port}`, path.join(options.root, "current/bin/start"), [], {
      env: cleanEnv({ PORT: String(port), WALLET_ENV_FILE: options.envFile, NODE_EXTRA_CA_CERTS: options.caFile }),
      inheritEnv: false,
      quiet: true,
      onLine: (line) => logLines.push(`[app :${port}] ${line}`),
    });
    void instance.exited.then((code) =>
      logLines.push(`[supervisor] the instance on :${port} (pid ${instance.child.pid}) exited: ${instance.child.signalCode ?? code}`),
    );
    instances.set(port, instance);
  };
  const control = http.createServer((req, res) => {
    const match = /^\/restart\/(\d+)$/.exec(req.url ?? "");
    if (req.method !== "POST" || !match) return res.writeHead(404).end();
    const port = Number(match[1]);
    const old = instances.get(port);
    void (old ? old.stop() : Promise.resolve()).then(() => {
      start(port);
      res.writeHead(200).end("restarted\n");
    });
  });
  const controlPort = await freePort();
  await new Promise<void>((resolve) => control.listen(controlPort, "127.0.0.1", resolve));
  const script = path.join(options.dir, "restart.mjs");
  fs.writeFileSync(
    script,
    `const response = await fetch("http://127.0.0.1:${controlPort}/restart/" + process.argv[2], { method: "POST" });\nprocess.exit(response.ok ? 0 : 1);\n`,
  );
  return {
    restartCommand: `"${process.execPath}" "${script}" {port}`,
    pid: (port: number) => instances.get(port)?.child.pid,
    /** The release directory an instance runs from: its working directory (the standalone server changes to its own). */
    releaseOf: (port: number) => {
      const pid = instances.get(port)?.child.pid;
      return pid ? path.dirname(fs.readlinkSync(`/proc/${pid}/cwd`)) : null;
    },
    stop: async () => {
      await Promise.all([...instances.values()].map((instance) => instance.stop()));
      await new Promise((resolve) => control.close(resolve));
    },
  };
}

// ── the run ───────────────────────────────────────────────────────────────

async function main() {
  // 1. The artefact, unpacked where nothing of the repository can be reached.
  step("packing the release from the production build");
  const release = await buildRelease({ build: false, log: step });
  step(`${path.basename(release.tarball)}: ${(release.bytes / 1e6).toFixed(1)} MB, ${release.fileCount} files`);

  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "wallet-release-")));
  cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
  for (let dir = tmp; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    check(
      !fs.existsSync(path.join(dir, "node_modules")),
      `${dir}/node_modules exists: the release could load packages from outside itself`,
    );
  }
  check(!tmp.startsWith(ROOT), "the temporary directory must be outside the repository");
  const incoming = path.join(tmp, "incoming");
  fs.mkdirSync(incoming);
  fs.copyFileSync(release.tarball, path.join(incoming, path.basename(release.tarball)));
  fs.copyFileSync(release.checksumFile, path.join(incoming, path.basename(release.checksumFile)));
  const tarball = path.join(incoming, path.basename(release.tarball));
  check(
    spawnSync("sha256sum", ["-c", path.basename(release.checksumFile)], { cwd: incoming }).status === 0,
    "sha256sum -c accepts the .sha256",
  );
  const unpacked = path.join(tmp, "unpacked");
  fs.mkdirSync(unpacked);
  check(spawnSync("tar", ["-xzf", tarball, "-C", unpacked]).status === 0, "the tarball unpacks");
  const releaseA = path.join(unpacked, `wallet-${release.version}`);
  const info = JSON.parse(fs.readFileSync(path.join(releaseA, "RELEASE.json"), "utf8")) as {
    version: string;
    files: Record<string, string>;
    treeSha256: string;
  };
  check(info.version === release.version, "RELEASE.json names the version");
  check(treeHash(treeOf(releaseA)) === info.treeSha256, "the unpacked tree matches RELEASE.json's hash");
  for (const [name, entry] of Object.entries(info.files)) {
    if (!entry.startsWith("symlink:")) continue;
    const linkTarget = entry.slice("symlink:".length);
    const resolved = path.resolve(path.dirname(path.join(releaseA, name)), linkTarget);
    check(
      !path.isAbsolute(linkTarget) && resolved.startsWith(`${releaseA}/`) && fs.existsSync(resolved),
      `${name} -> ${linkTarget} stays inside the release`,
    );
  }
  for (const required of [
    "bin/start",
    "bin/migrate",
    "bin/deploy",
    "bin/rollback",
    "app/server.js",
    "lib/migrate.mjs",
    "systemd/wallet@.service",
  ])
    check(fs.existsSync(path.join(releaseA, required)), `the release holds ${required}`);
  check(
    !Object.keys(info.files).some((name) => /(^|\/)\.env/.test(name) || name.includes("ops/prometheus/secrets")),
    "no env file or token in the release",
  );

  // 2. A fresh database, migrated by the release itself.
  const server = await testDatabaseServer();
  cleanups.push(() => server.stop());
  const databaseName = `release_smoke_${process.pid}_${randomBytes(3).toString("hex")}`;
  const { url: databaseUrl, drop } = await scratchDatabase(server.url, databaseName);
  cleanups.push(drop);
  const migrationCount = Object.keys(info.files).filter((name) => /^migrations\/[^/]+\/migration\.sql$/.test(name)).length;
  const migrateEnv = path.join(tmp, "migrate.env");
  fs.writeFileSync(migrateEnv, `DATABASE_URL=${databaseUrl}\n`, { mode: 0o600 });
  step("bin/migrate on a fresh database");
  const migrated = await run(path.join(releaseA, "bin/migrate"), ["--env-file", migrateEnv], {});
  check(
    migrated.status === 0 && migrated.output.includes(`${migrationCount} applied, 0 already up to date`),
    `bin/migrate applies all ${migrationCount}: ${migrated.output}`,
  );
  const again = await run(path.join(releaseA, "bin/migrate"), ["--env-file", migrateEnv], {});
  check(
    again.status === 0 && again.output.includes(`0 applied, ${migrationCount} already up to date`),
    `bin/migrate again changes nothing: ${again.output}`,
  );

  // 3. What production talks to, and the TLS in front of the app.
  const certificate = makeCertificate(tmp);
  const ports = { front: await freePort(), smtps: await freePort(), engine: await freePort(), a: await freePort(), b: await freePort() };
  const appUrl = `https://localhost:${ports.front}`;
  const catcher: MailCatcher = await startMailCatcher({ smtpPort: await freePort(), httpPort: await freePort() });
  cleanups.push(() => catcher.stop());
  cleanups.push(await tlsFront(ports.smtps, certificate, () => [Number(new URL(catcher.smtpUrl).port)]));
  cleanups.push(await tlsFront(ports.front, certificate, () => [ports.a, ports.b]));

  const secret = () => randomBytes(36).toString("base64url");
  const keys = { signing: `signkey-test-${randomBytes(32).toString("hex")}`, event: randomBytes(24).toString("hex") };
  const secrets = {
    NEXTAUTH_SECRET: secret(),
    TOKEN_HMAC_SECRET: secret(),
    AUDIT_PSEUDONYM_SECRET: secret(),
    METRICS_TOKEN: secret(),
    HEALTH_TOKEN: secret(),
    INNGEST_SIGNING_KEY: keys.signing,
    INNGEST_EVENT_KEY: keys.event,
  };
  const engineUrl = `http://127.0.0.1:${ports.engine}`;
  // Keys through the environment, not argv; the engine calls the app through its TLS front.
  const engine = startProcess(
    "engine",
    path.join(ROOT, "node_modules/.bin/inngest-local"),
    ["--port", String(ports.engine), "--allow-app", `${appUrl}/api/inngest`, "--strict"],
    {
      env: cleanEnv({
        DATABASE_URL: databaseUrl,
        INNGEST_SIGNING_KEY: keys.signing,
        INNGEST_EVENT_KEY: keys.event,
        NODE_EXTRA_CA_CERTS: certificate.certFile,
      }),
      inheritEnv: false,
      quiet: true,
      onLine: (line) => logLines.push(`[engine] ${line}`),
    },
  );
  cleanups.push(() => engine.stop());
  await waitForHttp(`${engineUrl}/health`, 60_000, () => engine.child.exitCode === null);

  // The production environment: no APP_ENV, https, SMTP over TLS, signed Inngest.
  const envFile = path.join(tmp, "wallet.env");
  const production: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    APP_URL: appUrl,
    NEXTAUTH_URL: appUrl,
    SMTP_URL: `smtps://127.0.0.1:${ports.smtps}`,
    MAIL_FROM: '"Wallet <no-reply@wallet.example>"',
    INNGEST_BASE_URL: engineUrl,
    LOG_LEVEL: "info",
    ...secrets,
  };
  const writeEnv = (file: string, values: Record<string, string>) =>
    fs.writeFileSync(
      file,
      Object.entries(values)
        .map(([key, value]) => `${key}=${value}\n`)
        .join(""),
      { mode: 0o600 },
    );
  writeEnv(envFile, production);

  // 4. bin/start refuses a bad environment, naming the variable, and starts nothing.
  step("bin/start with bad environments");
  const badEnv = path.join(tmp, "bad.env");
  const refusals: [string, Record<string, string>, RegExp][] = [
    ["a missing secret", { ...production, TOKEN_HMAC_SECRET: "" }, /TOKEN_HMAC_SECRET/],
    ["INNGEST_DEV", { ...production, INNGEST_DEV: engineUrl }, /INNGEST_DEV must not be set in production/],
    ["plain SMTP", { ...production, SMTP_URL: catcher.smtpUrl }, /SMTP_URL must use TLS/],
  ];
  for (const [what, values, expected] of refusals) {
    writeEnv(badEnv, values);
    const port = await freePort();
    const refused = await run(path.join(releaseA, "bin/start"), ["--env-file", badEnv], { PORT: String(port) }, 60_000);
    check(
      refused.status !== 0 && refused.status !== null && expected.test(refused.output),
      `bin/start refuses ${what}: exit ${refused.status}, ${refused.output.slice(-300)}`,
    );
  }

  // 5. Deploy onto two instances behind the health check, then the smoke flow.
  const root = path.join(tmp, "srv");
  const supervisor = await startSupervisor({ root, envFile, caFile: certificate.certFile, dir: tmp });
  cleanups.push(() => supervisor.stop());
  const deployEnv = {
    WALLET_ROOT: root,
    WALLET_PORTS: `${ports.a},${ports.b}`,
    WALLET_RESTART_COMMAND: supervisor.restartCommand,
    WALLET_MIGRATE_ENV_FILE: migrateEnv,
    WALLET_HEALTH_TIMEOUT: "90",
    WALLET_SYNC_URL: `${appUrl}/api/inngest`,
    // The sync goes through the TLS front, whose certificate the host trusts.
    NODE_EXTRA_CA_CERTS: certificate.certFile,
  };
  const deploy = (source: string, extra: Record<string, string> = {}) =>
    run(path.join(releaseA, "bin/deploy"), [source], { ...deployEnv, ...extra }, 300_000);
  const current = () => path.resolve(root, fs.readlinkSync(path.join(root, "current")));

  step("bin/deploy and bin/rollback refusals");
  const nothingYet = await run(path.join(releaseA, "bin/rollback"), [], deployEnv);
  check(
    nothingYet.status === 2 && /no previous release/.test(nothingYet.output),
    `rollback with nothing deployed refuses: ${nothingYet.output}`,
  );
  const forged = path.join(tmp, "forged", path.basename(tarball));
  fs.mkdirSync(path.dirname(forged));
  fs.copyFileSync(tarball, forged);
  fs.writeFileSync(`${forged}.sha256`, `${"0".repeat(64)}  ${path.basename(tarball)}\n`);
  const mismatch = await deploy(forged);
  check(
    mismatch.status === 2 && /does not match its \.sha256/.test(mismatch.output),
    `a tarball that does not match its .sha256 is refused: ${mismatch.output}`,
  );
  check(!fs.existsSync(path.join(root, "current")) && supervisor.pid(ports.a) === undefined, "a refused deploy changes nothing");

  step(`bin/deploy ${path.basename(tarball)} onto :${ports.a} and :${ports.b}`);
  const first = await deploy(tarball);
  check(first.status === 0, `the first deploy succeeds: ${first.output.slice(-800)}`);
  const installedA = path.join(root, "releases", release.version);
  check(current() === installedA, "current points at the release");
  for (const port of [ports.a, ports.b]) check(supervisor.releaseOf(port) === installedA, `:${port} runs from ${installedA}`);

  const ca = certificate.cert;
  const health = await request(`${appUrl}/api/health`, { ca });
  check(
    health.status === 200 && JSON.parse(health.text).status === "ok",
    `GET /api/health over https is ok: ${health.status} ${health.text}`,
  );
  const detailed = JSON.parse(
    (await request(`${appUrl}/api/health`, { ca, headers: { authorization: `Bearer ${secrets.HEALTH_TOKEN}` } })).text,
  );
  check(
    detailed.checks?.database?.ok && detailed.checks?.smtp?.ok && detailed.checks?.engine?.ok,
    `health details: ${JSON.stringify(detailed)}`,
  );

  // The deploy's last step registered the workflows (PUT /api/inngest: the SDK signs its registration).
  check(first.output.includes("workflows registered with Inngest"), `the deploy registers the workflows: ${first.output.slice(-400)}`);

  step("sign-up, the verification email, the link, sign-in");
  const user = {
    phone: `98${String(randomInt(0, 1e8)).padStart(8, "0")}`,
    fullName: "Release Smoke",
    password: `smoke-${randomBytes(6).toString("hex")}-9`,
    email: `release.smoke.${randomBytes(4).toString("hex")}@example.test`,
  };
  const json = { "content-type": "application/json", origin: appUrl };
  const signup = await request(`${appUrl}/api/auth/signup`, { method: "POST", ca, headers: json, body: JSON.stringify(user) });
  check(signup.status === 201, `POST /api/auth/signup answers 201: ${signup.status} ${signup.text}`);
  const link = await waitFor("the verification email reaches the catcher through the engine and SMTPS", 60_000, async () => {
    const messages = JSON.parse((await request(`${catcher.inboxUrl}/api/messages?to=${encodeURIComponent(user.email)}`)).text) as {
      text: string;
    }[];
    return /https:\/\/\S+\/email\/confirm\?token=[A-Za-z0-9_-]+/.exec(messages[0]?.text ?? "")?.[0];
  });
  check(link.startsWith(`${appUrl}/email/confirm?token=`), `the link points at APP_URL: ${link.replace(/token=.*/, "token=…")}`);
  const token = new URL(link).searchParams.get("token")!;
  const landing = await request(link, { ca });
  check(landing.status === 200, `the link's page opens: ${landing.status}`);
  const confirmed = await request(`${appUrl}/api/email/confirm`, { method: "POST", ca, headers: json, body: JSON.stringify({ token }) });
  check(
    confirmed.status === 200 && JSON.parse(confirmed.text).outcome === "verified",
    `the link confirms: ${confirmed.status} ${confirmed.text}`,
  );

  const signIn = async () => {
    const csrf = await request(`${appUrl}/api/auth/csrf`, { ca });
    const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
    const jar = cookiesOf(csrf);
    const callback = await request(`${appUrl}/api/auth/callback/credentials`, {
      method: "POST",
      ca,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: appUrl,
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; "),
      },
      body: new URLSearchParams({ csrfToken, phone: user.phone, password: user.password, json: "true" }).toString(),
    });
    // Over https next-auth sets the __Secure- cookie: the production name.
    const session = cookiesOf(callback).get("__Secure-next-auth.session-token");
    check(session, `signing in sets the session cookie: ${callback.status}`);
    const account = await request(`${appUrl}/api/account`, { ca, headers: { cookie: `__Secure-next-auth.session-token=${session}` } });
    check(account.status === 200, `GET /api/account with the session: ${account.status} ${account.text}`);
    return JSON.parse(account.text) as { user: { phone: string; email: string | null; emailVerified: boolean } };
  };
  const account = await signIn();
  check(
    account.user.email === user.email && account.user.emailVerified,
    // Never the address itself: CI logs are kept.
    `the account shows the verified address (same address: ${account.user.email === user.email}, verified: ${account.user.emailVerified})`,
  );

  step("/api/metrics with and without the token");
  check((await request(`http://127.0.0.1:${ports.a}/api/metrics`)).status === 401, "GET /api/metrics without the token answers 401");
  const scrape = async (port: number) =>
    request(`http://127.0.0.1:${port}/api/metrics`, { headers: { authorization: `Bearer ${secrets.METRICS_TOKEN}` } });
  const metrics = await Promise.all([ports.a, ports.b].map(scrape));
  check(
    metrics.every((answer) => answer.status === 200 && answer.text.includes("wallet_http_requests_total")),
    "each instance serves its metrics with the token",
  );
  const sent = metrics.map((answer) => /^wallet_emails_sent_total\{[^}]*\} (\d+)/m.exec(answer.text)?.[1]).filter(Boolean);
  check(sent.length > 0, "an instance counted the email it sent (wallet_emails_sent_total)");

  // 6. Deploy another version: a rolling restart behind the health check.
  const releaseB = path.join(tmp, "staged-b");
  const versionB = `${release.version}.b`;
  fs.cpSync(releaseA, releaseB, { recursive: true, verbatimSymlinks: true });
  fs.writeFileSync(path.join(releaseB, "RELEASE.json"), JSON.stringify({ ...info, version: versionB }, null, 2));
  const installedB = path.join(root, "releases", versionB);

  step(`bin/deploy of ${versionB} (the same build under another version): a rolling restart`);
  const pidsBefore = [supervisor.pid(ports.a), supervisor.pid(ports.b)];
  let polls = 0;
  let failures = 0;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      polls++;
      try {
        if ((await request(`${appUrl}/api/health`, { ca })).status !== 200) failures++;
      } catch {
        failures++;
      }
      await delay(50);
    }
  })();
  const second = await deploy(releaseB);
  polling = false;
  await poller;
  check(second.status === 0, `the deploy of ${versionB} succeeds: ${second.output.slice(-800)}`);
  check(current() === installedB, "current points at the new release");
  check(path.resolve(root, fs.readlinkSync(path.join(root, "previous"))) === installedA, "previous points at the release before");
  for (const port of [ports.a, ports.b]) check(supervisor.releaseOf(port) === installedB, `:${port} now runs from ${installedB}`);
  check(supervisor.pid(ports.a) !== pidsBefore[0] && supervisor.pid(ports.b) !== pidsBefore[1], "both instances were restarted");
  const order = second.output.split("\n").filter((line) => /restarting the instance|healthy on/.test(line));
  check(
    order.length === 4 && order[0]!.includes(`:${ports.a}`) && order[1]!.includes(`:${ports.a}`) && order[2]!.includes(`:${ports.b}`),
    `one instance at a time, each healthy before the next: ${order.join(" | ")}`,
  );
  step(`during the rollout ${polls} health requests through the front, ${failures} failed`);
  check((await signIn()).user.emailVerified, "the account is still there after the deploy");

  // A release that cannot start: the deploy stops at the first instance.
  const releaseC = path.join(tmp, "staged-c");
  const versionC = `${release.version}.broken`;
  fs.cpSync(releaseA, releaseC, { recursive: true, verbatimSymlinks: true });
  const brokenServer = 'console.error("this release cannot start"); process.exit(1);\n';
  fs.writeFileSync(path.join(releaseC, "app/server.js"), brokenServer);
  // Release A's list with the one file that changed (the order, and so treeHash, stays).
  const filesC = { ...info.files, "app/server.js": createHash("sha256").update(brokenServer).digest("hex") };
  fs.writeFileSync(
    path.join(releaseC, "RELEASE.json"),
    JSON.stringify({ ...info, version: versionC, files: filesC, treeSha256: treeHash(filesC) }, null, 2),
  );
  step(`bin/deploy of ${versionC}, which cannot start`);
  const untouchedPid = supervisor.pid(ports.b);
  const broken = await deploy(releaseC, { WALLET_HEALTH_TIMEOUT: "15" });
  check(broken.status !== 0, `the deploy of a release that cannot start fails: ${broken.output.slice(-400)}`);
  check(/failed on :\d+; every instance is back on/.test(broken.output), `the deploy says it went back: ${broken.output.slice(-600)}`);
  check(current() === installedB, "current points back at the running release");
  check(supervisor.releaseOf(ports.a) === installedB, `the failed instance :${ports.a} is back on ${versionB}`);
  check(supervisor.pid(ports.b) === untouchedPid, `the instance :${ports.b} was never touched`);
  check((await request(`http://127.0.0.1:${ports.a}/api/health`)).status === 200, "the instance that failed is healthy again");

  // Rollback: previous again, the same rolling restart, no migration.
  step("bin/rollback");
  const rolledBack = await run(path.join(installedB, "bin/rollback"), [], deployEnv, 300_000);
  check(rolledBack.status === 0, `bin/rollback succeeds: ${rolledBack.output.slice(-800)}`);
  check(current() === installedA, "current points at the previous release again");
  check(
    path.resolve(root, fs.readlinkSync(path.join(root, "previous"))) === installedB,
    "previous now points at the release rolled back from",
  );
  for (const port of [ports.a, ports.b]) check(supervisor.releaseOf(port) === installedA, `:${port} runs from ${installedA} again`);
  check(!/applied/.test(rolledBack.output), "rollback ran no migration");
  check(rolledBack.output.includes("workflows registered with Inngest"), "the rollback registers the previous release's workflows");
  check((await request(`${appUrl}/api/health`, { ca })).status === 200, "healthy after the rollback");
  check((await signIn()).user.emailVerified, "the account is still there after the rollback");
  const history = fs.readFileSync(path.join(root, "deploy.log"), "utf8");
  check(history.split("\n").filter(Boolean).length === 4 && /FAILED/.test(history), `deploy.log records each step: ${history}`);

  // systemd runs the instances with ProtectSystem=strict: the release must stay as shipped.
  check(!fs.existsSync(path.join(installedA, "app/.next/cache")), "the server wrote no cache into its release directory");
  check(treeHash(treeOf(installedA)) === info.treeSha256, "the release directory is unchanged after running");

  // 7. Nothing secret in any log line.
  const logs = logLines.join("\n");
  const leaks = Object.entries({ ...secrets, password: user.password, token, email: user.email, databaseUrl })
    .filter(([, value]) => value && logs.includes(value))
    .map(([name]) => name);
  check(leaks.length === 0, `no secret in the logs, found: ${leaks.join(", ")}`);

  const tree = createHash("sha256")
    .update(JSON.stringify(Object.keys(info.files)))
    .digest("hex")
    .slice(0, 12);
  step(`passed: ${release.fileCount} files (list ${tree}), ${(release.bytes / 1e6).toFixed(1)} MB`);
}

/** Stops and removes everything this run made, newest first; safe to call twice. */
async function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`cleanup: ${(error as Error).message}`);
    }
  }
}
// Ctrl-C or a CI timeout: the database and the temporary directory go too.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    console.error(`release smoke: ${signal}, cleaning up`);
    void cleanUp().then(() => process.exit(1));
  });

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error((error as Error).message);
  console.error("\nLast lines of the release's processes:");
  for (const line of logLines.slice(-60)) console.error(`  ${line}`);
} finally {
  await cleanUp();
}
console.log(`release smoke ${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
