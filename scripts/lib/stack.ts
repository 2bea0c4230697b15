// The whole local stack, in dependency order: PostgreSQL (embedded unless
// DATABASE_URL is given), migrations and demo users, the SMTP catcher (unless
// SMTP_URL is given), the durable execution engine, and the Next.js server.
// `npm run dev` runs it with `next dev`; the Playwright suite with `next start`
// on the test ports. Stopping it stops everything it started, in reverse.
import fs from "node:fs";
import path from "node:path";
import { startMailCatcher } from "@wallet/mail-catcher";
import { seedDemoUsers } from "../../prisma/seed";
import { applyMigrations } from "./migrate";
import { startProcess, waitForHttp, type Service } from "./processes";
import { startEmbeddedPostgres } from "./postgres";

export type StackPorts = { app: number; postgres: number; smtp: number; inbox: number; engine: number };

export type StackOptions = {
  mode: "dev" | "e2e";
  ports: StackPorts;
  dataDir: string;
  database: string;
  /** Extra environment for the app (and the engine). */
  appEnv?: Record<string, string>;
  quietApp?: boolean;
  onAppLine?: (line: string) => void;
  onEngineLine?: (line: string) => void;
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
    for (const stop of stops.reverse()) await stop().catch((error) => console.error(error));
  };
  const services: Service[] = [];

  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      const postgres = await startEmbeddedPostgres({
        dataDir: path.join(ROOT, options.dataDir),
        port: ports.postgres,
        database: options.database,
      });
      stops.push(postgres.stop);
      databaseUrl = postgres.url;
    }
    await applyMigrations(databaseUrl);
    await seedDemoUsers(databaseUrl);

    let smtpUrl = process.env.SMTP_URL;
    let inboxUrl: string | null = null;
    if (!smtpUrl) {
      const catcher = await startMailCatcher({ smtpPort: ports.smtp, httpPort: ports.inbox });
      stops.push(catcher.stop);
      smtpUrl = catcher.smtpUrl;
      inboxUrl = catcher.inboxUrl;
    }

    const appUrl = `http://localhost:${ports.app}`;
    const engineUrl = `http://127.0.0.1:${ports.engine}`;
    const env: Record<string, string> = {
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
      DATABASE_URL: databaseUrl,
      SMTP_URL: smtpUrl,
      APP_URL: appUrl,
      NEXTAUTH_URL: appUrl,
      // The app talks to the local engine exactly as it would to Inngest's dev server.
      INNGEST_DEV: engineUrl,
      ...options.appEnv,
    };

    const engine = startProcess(
      "engine",
      BIN("inngest-local"),
      ["--port", String(ports.engine), "-u", `${appUrl}/api/inngest`],
      { env: { DATABASE_URL: databaseUrl }, quiet: options.quietApp, onLine: options.onEngineLine },
    );
    services.push(engine);
    stops.push(engine.stop);
    await waitForHttp(`${engineUrl}/health`, 30_000, () => engine.child.exitCode === null);

    const next =
      options.mode === "dev"
        ? startProcess("next", BIN("next"), ["dev", "--port", String(ports.app)], { env, quiet: options.quietApp, onLine: options.onAppLine })
        : startProcess("next", BIN("next"), ["start", "--port", String(ports.app)], {
            env: { ...env, NODE_ENV: "production" },
            quiet: options.quietApp,
            onLine: options.onAppLine,
          });
    services.push(next);
    stops.push(next.stop);
    await waitForHttp(`${appUrl}/api/health`, 180_000, () => next.child.exitCode === null);
    // The engine syncs at start and retries until the app answers; ask once
    // more now that it is up so the first event finds every function.
    await fetch(`${engineUrl}/api/sync`, { method: "POST" }).catch(() => undefined);

    const crashed = Promise.race(services.map((service) => service.exited.then(() => service.name)));
    return {
      urls: { app: appUrl, inbox: inboxUrl, engine: engineUrl, database: databaseUrl },
      env,
      crashed,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export function hasProductionBuild(): boolean {
  return fs.existsSync(path.join(ROOT, ".next/BUILD_ID"));
}
