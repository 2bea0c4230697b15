// npm run dev — the whole app with every service it needs, on a fresh clone
// with nothing configured. Ctrl-C stops everything, in reverse order of start.
// `npm run dev -- --monitoring` also runs Prometheus and Alertmanager against
// it (configured from ops/), with alert emails to the mail catcher.
import path from "node:path";
import { DEV_SECRETS } from "../lib/committed-secrets";
import type { Monitoring } from "./lib/monitoring";
import { DEV_MONITORING_PORTS, DEV_PORTS } from "./lib/ports-config";
import { endStep, startStep, stepIsOpen, stopAllProcesses } from "./lib/processes";
import type { Stack } from "./lib/stack";

const USAGE = "Usage: npm run dev [-- --monitoring]";
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--monitoring");
if (unknown.length > 0) {
  console.error(`Unknown argument ${unknown.join(" ")}. ${USAGE}`);
  process.exit(2);
}
const withMonitoring = args.includes("--monitoring");
// Prometheus sends the token the app has: the one from the shell (which the
// app inherits), else the committed dev value (the app's own default in local mode).
const metricsToken = process.env.METRICS_TOKEN ?? DEV_SECRETS.METRICS_TOKEN;

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.CHECKPOINT_DISABLE = "1";

const started = Date.now();
const aborted = new AbortController();
let stack: Stack | null = null;
let monitoring: Monitoring | null = null;
let stopping: Promise<void> | null = null;

// Ctrl-C, kill, or the terminal closing: the services run in their own
// process groups and get no signal of their own, so we stop them, in order.
// A second Ctrl-C while stopping gives up waiting. (tsx, which runs this
// file, may relay the terminal's one Ctrl-C a second time a few ms later.)
let begun = 0;
function stop(exitCode: number) {
  if (stopping) {
    if (Date.now() - begun > 1000) void stopAllProcesses().then(() => process.exit(exitCode));
    return;
  }
  begun = Date.now();
  // After the terminal's "^C" echo; a step left open ends with "interrupted".
  if (!stepIsOpen()) process.stdout.write("\n");
  const step = startStep("Stopping");
  stopping = (async () => {
    if (!stack) {
      aborted.abort(); // start-up stops what it had started, then rejects
      ({ stack, monitoring } = await starting.catch(() => ({ stack: null, monitoring: null })));
    }
    // Started last, stopped first.
    await monitoring?.stop();
    await stack?.stop();
  })();
  void stopping.then(() => {
    endStep("everything stopped", step);
    process.exit(exitCode);
  });
}
// With the terminal gone (SIGHUP), writing to it fails: keep stopping anyway.
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});
process.on("SIGINT", () => stop(130));
process.on("SIGTERM", () => stop(143));
process.on("SIGHUP", () => stop(129));

// Say something at once: loading the stack's modules (Prisma, the mail
// catcher…) takes a second or two on a cold start.
const loading = startStep("Loading");
let current = 0;
const steps = {
  start: (label: string) => {
    if (!stopping) current = startStep(label);
  },
  end: (detail?: string) => endStep(detail, current),
};
const starting = import("./lib/stack").then(async ({ startStack }) => {
  endStep(undefined, loading);
  aborted.signal.throwIfAborted();
  const up = await startStack({
    mode: "dev",
    ports: DEV_PORTS,
    dataDir: ".data/pg",
    database: "app",
    steps,
    signal: aborted.signal,
  });
  if (!withMonitoring) return { stack: up, monitoring: null };
  try {
    aborted.signal.throwIfAborted();
    steps.start("Starting Prometheus and Alertmanager");
    const { startMonitoring } = await import("./lib/monitoring");
    const inbox = up.urls.inbox;
    const watching = await startMonitoring({
      ports: DEV_MONITORING_PORTS,
      targets: { app: `127.0.0.1:${DEV_PORTS.app}`, engine: `127.0.0.1:${DEV_PORTS.engine}` },
      metricsToken,
      // With SMTP_URL (a real relay) alertmanager.yml's own SMTP settings stand.
      smtpSmarthost: inbox ? `127.0.0.1:${DEV_PORTS.smtp}` : undefined,
      dir: path.resolve(import.meta.dirname, "../.data/monitoring"),
      signal: aborted.signal,
    });
    steps.end();
    return { stack: up, monitoring: watching };
  } catch (error) {
    await up.stop();
    throw error;
  }
});
try {
  ({ stack, monitoring } = await starting);
  if (stopping) await new Promise(() => {}); // Ctrl-C came as the last step ended: stop() exits
} catch (error) {
  if (aborted.signal.aborted) await new Promise(() => {}); // stop() exits
  endStep("failed", current);
  console.error(`\nnpm run dev could not start: ${(error as Error).message}`);
  process.exit(1);
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`
  Ready in ${seconds} s
    App          ${stack.urls.app}
    Inbox        ${stack.urls.inbox ?? "(SMTP_URL: a real relay)"}
    Engine       ${stack.urls.engine}${
      monitoring
        ? `
    Prometheus   ${monitoring.urls.prometheus}/alerts
    Alertmanager ${monitoring.urls.alertmanager} (alert emails to ${stack.urls.inbox ? "the inbox above" : "alertmanager.yml's SMTP relay"})`
        : ""
    }
    Database     ${stack.urls.database.replace(/:[^:@/]+@/, ":***@")}
  Demo users (password wallet-demo-1): 9810578899 (verified email), 9841000001 (unverified email)
  Press Ctrl-C to stop.
`);

const crashed = await Promise.race([stack.crashed, ...(monitoring ? [monitoring.crashed] : [])]);
if (!stopping) {
  console.error(`${crashed} exited unexpectedly; stopping the rest.`);
  stop(1);
}
