// npm run dev — the whole app with every service it needs, on a fresh clone
// with nothing configured. Ctrl-C stops everything, in reverse order of start.
import { DEV_PORTS } from "./lib/ports-config";
import { endStep, startStep, stepIsOpen, stopAllProcesses } from "./lib/processes";
import type { Stack } from "./lib/stack";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.CHECKPOINT_DISABLE = "1";

const started = Date.now();
const aborted = new AbortController();
let stack: Stack | null = null;
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
      stack = await starting.catch(() => null);
    }
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
const starting = import("./lib/stack").then(({ startStack }) => {
  endStep(undefined, loading);
  aborted.signal.throwIfAborted();
  return startStack({
    mode: "dev",
    ports: DEV_PORTS,
    dataDir: ".data/pg",
    database: "app",
    steps: {
      start: (label) => {
        if (!stopping) current = startStep(label);
      },
      end: (detail) => endStep(detail, current),
    },
    signal: aborted.signal,
  });
});
try {
  stack = await starting;
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
    App      ${stack.urls.app}
    Inbox    ${stack.urls.inbox ?? "(SMTP_URL: a real relay)"}
    Engine   ${stack.urls.engine}
    Database ${stack.urls.database.replace(/:[^:@/]+@/, ":***@")}
  Demo users (password wallet-demo-1): 9810578899 (verified email), 9841000001 (unverified email)
  Press Ctrl-C to stop.
`);

const crashed = await stack.crashed;
if (!stopping) {
  console.error(`${crashed} exited unexpectedly; stopping the rest.`);
  stop(1);
}
