// The whole local stack, in dependency order: PostgreSQL (embedded unless
// DATABASE_URL is given), migrations and demo users, the SMTP catcher (unless
// SMTP_URL is given), the durable execution engine, and the Next.js server.
// `npm run dev` runs it with `next dev`; the Playwright suite with the
// production build's standalone server (.next/standalone/server.js) on the
// test ports. Stopping it stops everything it started, in reverse.
import fs from "node:fs";
import path from "node:path";
import { startMailCatcher } from "@wallet/mail-catcher";
import { seedDemoUsers } from "../../prisma/seed";
import { applyMigrations } from "./migrate";
import { assertPortFree } from "./ports";
import { claimRun, releaseRun, startProcess, waitForHttp, type Service } from "./processes";
import { startEmbeddedPostgres } from "./postgres";

export type StackPorts = { app: number; postgres: number; smtp: number; inbox: number; engine: number };

export type StackOptions = {
  mode: "dev" | "e2e";
  ports: StackPorts;
  dataDir: string;
  database: string;
  /** Extra environment for the app (and the engine). */
  appEnv?: Record<string, string>;
  /**
   * Run the app in Inngest's cloud mode (INNGEST_DEV unset) against the engine
   * started with these keys: every call to the app is signed and verified.
   * Without it the app runs in dev mode (INNGEST_DEV), as `npm run dev` does.
   */
  inngestCloud?: { signingKey: string; eventKey: string };
  quietApp?: boolean;
  onAppLine?: (line: string) => void;
  onEngineLine?: (line: string) => void;
  /** Progress: each step's start, then its end with an optional detail. */
  steps?: { start: (label: string) => void; end: (detail?: string) => void };
  /** Aborting stops whatever was started and rejects (Ctrl-C during start-up). */
  signal?: AbortSignal;
};

export type Stack = {
  urls: { app: string; inbox: string | null; engine: string; database: string };
  env: Record<string, string>;
  /** Resolves when a managed process exits on its own (a crash). */
  crashed: Promise<string>;
  stop: () => Promise<void>;
};

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = (name: string) => path.join(ROOT, "node_modules/.bin", name);

export async function startStack(options: StackOptions): Promise<Stack> {
  const { ports } = options;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((error) => console.error(error));
  };
  const services: Service[] = [];
  const exits: Promise<string>[] = [];
  const abort = options.signal;
  const report = options.steps ?? { start: () => {}, end: () => {} };
  // Every step begins by checking for Ctrl-C, so nothing starts after it.
  const steps = {
    start: (label: string) => {
      abort?.throwIfAborted();
      report.start(label);
    },
    end: report.end,
  };
  // Until the stack is up, the services' start-up chatter (banners, our own
  // readiness probes, the engine's boot lines) is summed up by the step lines.
  let phase: "starting" | "running" | "stopping" = "starting";
  let nextVersion = "";
  const showApp = (line: string) => {
    const banner = /▲ Next\.js (\S+)(?: \((\w+)\))?/.exec(line);
    if (banner) nextVersion = `${banner[1]}${banner[2] ? `, ${banner[2]}` : ""}`;
    // Prometheus (npm run dev -- --monitoring) scrapes every 15 s: a successful scrape is not news.
    if (/^\s*GET \/api\/metrics 200 /.test(line)) return false;
    if (phase === "running") return true;
    return !(
      banner ||
      /^\s*(- (Local|Network|Environments|Experiments):|✓ (Starting|Ready in|Running next\.config)|○ Compiling \/api\/health|(GET \/api\/health|PUT \/api\/inngest) )/.test(
        line,
      )
    );
  };
  // The engine's hint on how to point an app at it is for running it by hand.
  const showEngine = (line: string) => !/point the app at it/.test(line) && (phase === "running" || !/ engine INFO /.test(line));

  try {
    abort?.throwIfAborted();
    const stopped = await claimRun(
      path.join(ROOT, ".data", `${options.mode}-stack.json`),
      options.mode === "dev" ? "npm run dev" : "The e2e stack",
    );
    if (stopped.length) console.log(`Stopped what a killed earlier run had left running: ${stopped.join(", ")}.`);

    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      steps.start("Starting PostgreSQL");
      const postgres = await startEmbeddedPostgres({
        dataDir: path.join(ROOT, options.dataDir),
        port: ports.postgres,
        database: options.database,
      });
      stops.push(postgres.stop);
      exits.push(postgres.exited.then(() => "PostgreSQL"));
      databaseUrl = postgres.url;
      const where = path.relative(ROOT, path.join(ROOT, options.dataDir));
      steps.end(postgres.created ? `new database in ${where}` : undefined);
      if (postgres.dataDir !== path.join(ROOT, options.dataDir)) {
        console.log(`  (${where} links to ${postgres.dataDir}: the "postgres" OS user cannot enter this clone's directory)`);
      }
    }
    abort?.throwIfAborted();
    steps.start("Applying migrations");
    const migrations = await applyMigrations(databaseUrl);
    steps.end(migrations.applied.length ? `${migrations.applied.length} applied` : "up to date");
    abort?.throwIfAborted();
    // Demo users go only into the embedded database, or where the developer
    // asked for them (SEED_DEMO_USERS=1): never into a database given by URL
    // that may hold real accounts.
    if (!process.env.DATABASE_URL || process.env.SEED_DEMO_USERS === "1") {
      steps.start("Seeding demo users");
      const seeded = await seedDemoUsers(databaseUrl);
      steps.end(
        seeded.skipped.length ? `skipped ${seeded.skipped.join(", ")}: the phone belongs to an account the seed did not create` : undefined,
      );
    }
    abort?.throwIfAborted();

    let smtpUrl = process.env.SMTP_URL;
    let inboxUrl: string | null = null;
    if (!smtpUrl) {
      steps.start("Starting mail catcher");
      const catcher = await startMailCatcher({ smtpPort: ports.smtp, httpPort: ports.inbox });
      stops.push(catcher.stop);
      smtpUrl = catcher.smtpUrl;
      inboxUrl = catcher.inboxUrl;
      steps.end();
    }
    abort?.throwIfAborted();

    // Next binds to 127.0.0.1 only, `next dev` and `next start` alike (a
    // server on every interface is open to the network); localhost resolves
    // to it and is the URL people open. The engine, the mail catcher and the
    // embedded PostgreSQL listen on 127.0.0.1 too (their defaults).
    const appUrl = `http://localhost:${ports.app}`;
    const engineUrl = `http://127.0.0.1:${ports.engine}`;
    const env: Record<string, string> = {
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
      DATABASE_URL: databaseUrl,
      SMTP_URL: smtpUrl,
      APP_URL: appUrl,
      NEXTAUTH_URL: appUrl,
      // The positive decision that this is a local run: only with it does the
      // app accept development defaults and INNGEST_DEV (server/env.ts).
      APP_ENV: options.mode === "dev" ? "local" : "e2e",
      ...(options.inngestCloud
        ? // Cloud mode, as in production: INNGEST_BASE_URL covers both the event API and the API the SDK calls.
          {
            INNGEST_BASE_URL: engineUrl,
            INNGEST_SIGNING_KEY: options.inngestCloud.signingKey,
            INNGEST_EVENT_KEY: options.inngestCloud.eventKey,
          }
        : // The app talks to the local engine exactly as it would to Inngest's dev server.
          { INNGEST_DEV: engineUrl }),
      // The e2e engine runs with --test-clock: the app's now() (server/clock.ts)
      // follows it, so a test that moves the engine a month ahead moves the
      // app too. A developer's engine has no clock API and the app runs on real time.
      ...(options.mode === "e2e" ? { TEST_CLOCK_URL: `${engineUrl}/api/clock` } : {}),
      ...options.appEnv,
    };

    // A server left on these ports would answer our readiness checks in place
    // of the one we start: fail with its port named instead.
    await assertPortFree(ports.engine, "The engine");
    await assertPortFree(ports.app, "Next.js");

    steps.start("Starting engine");
    // Without -u: the engine would try to sync the app at once and log each
    // failure while Next.js boots. The stack asks for the sync once the app answers.
    const engineArgs = ["--port", String(ports.engine), "--allow-app", `${appUrl}/api/inngest`];
    // The suite moves the engine's clock (a developer's engine has no clock API), and must not
    // pass with an option the engine does not enforce (throttle, rateLimit, …). Retention
    // off: the suite moves the clock by months, and a purge pass could delete a run a test reads.
    if (options.mode === "e2e") engineArgs.push("--test-clock", "--strict", "--retention", "off");
    const engine = startProcess("engine", BIN("inngest-local"), engineArgs, {
      // Keys through the environment, not argv (visible to every user in ps).
      env: {
        DATABASE_URL: databaseUrl,
        // In dev mode no key from the shell (say, a production one) reaches the engine.
        INNGEST_SIGNING_KEY: options.inngestCloud?.signingKey,
        INNGEST_EVENT_KEY: options.inngestCloud?.eventKey,
      },
      quiet: options.quietApp,
      onLine: options.onEngineLine,
      show: showEngine,
    });
    services.push(engine);
    stops.push(engine.stop);
    await waitForHttp(`${engineUrl}/health`, 30_000, () => engine.child.exitCode === null, abort);
    steps.end();

    steps.start("Starting Next.js");
    const next =
      options.mode === "dev"
        ? startProcess("next", BIN("next"), ["dev", "--hostname", "127.0.0.1", "--port", String(ports.app)], {
            env,
            quiet: options.quietApp,
            onLine: options.onAppLine,
            show: showApp,
          })
        : // The standalone server, as the release runs it (bin/start), not `next start`,
          // which warns that it does not support output: "standalone".
          startProcess("next", process.execPath, [standaloneServer()], {
            env: {
              ...env,
              NODE_ENV: "production",
              // The standalone server listens on $HOSTNAME:$PORT; a shell's HOSTNAME is the machine's name.
              HOSTNAME: "127.0.0.1",
              PORT: String(ports.app),
              // An INNGEST_DEV left in the shell would put the SDK back in dev mode and skip signature checks.
              ...(options.inngestCloud ? { INNGEST_DEV: undefined } : {}),
            },
            quiet: options.quietApp,
            onLine: options.onAppLine,
            show: showApp,
          });
    services.push(next);
    stops.push(next.stop);
    await waitForHttp(`${appUrl}/api/health`, 180_000, () => next.child.exitCode === null, abort);
    steps.end(nextVersion || undefined);

    steps.start("Syncing the workflows with the engine");
    const sync = await syncApp(engineUrl, `${appUrl}/api/inngest`);
    steps.end(sync);
    abort?.throwIfAborted();

    exits.push(...services.map((service) => service.exited.then(() => service.name)));
    const crashed = Promise.race(exits);
    phase = "running";
    return {
      urls: { app: appUrl, inbox: inboxUrl, engine: engineUrl, database: databaseUrl },
      env,
      crashed,
      stop: async () => {
        phase = "stopping";
        await stopAll();
        releaseRun();
      },
    };
  } catch (error) {
    phase = "stopping";
    await stopAll();
    releaseRun();
    throw error;
  }
}

/** Asks the engine to sync the app once; returns what to say about it. */
async function syncApp(engineUrl: string, appUrl: string): Promise<string> {
  try {
    const response = await fetch(`${engineUrl}/api/sync`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: appUrl }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { results?: { ok: boolean; functions?: number; error?: string }[] };
    const result = body.results?.[0];
    if (result?.ok) return result.functions === undefined ? "synced" : `${result.functions} functions`;
    return `FAILED (${result?.error ?? `HTTP ${response.status}`}): events will not run until POST ${engineUrl}/api/sync succeeds`;
  } catch (error) {
    return `FAILED (${(error as Error).message}): events will not run until POST ${engineUrl}/api/sync succeeds`;
  }
}

export function hasProductionBuild(): boolean {
  return fs.existsSync(path.join(ROOT, ".next/BUILD_ID")) && fs.existsSync(path.join(ROOT, ".next/standalone/server.js"));
}

/**
 * The standalone server of the last `next build`, with the build's static
 * files and public/ put beside it (Next leaves that to the deployment; the
 * release packs them the same way, scripts/release/build.ts).
 */
function standaloneServer(): string {
  const standalone = path.join(ROOT, ".next/standalone");
  fs.cpSync(path.join(ROOT, ".next/static"), path.join(standalone, ".next/static"), { recursive: true, force: true });
  if (fs.existsSync(path.join(ROOT, "public")))
    fs.cpSync(path.join(ROOT, "public"), path.join(standalone, "public"), { recursive: true, force: true });
  return path.join(standalone, "server.js");
}
