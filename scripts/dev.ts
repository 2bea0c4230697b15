// npm run dev — the whole app with every service it needs, on a fresh clone
// with nothing configured. Ctrl-C stops everything.
import { DEV_PORTS } from "./lib/ports-config";
import { stopAllProcesses } from "./lib/processes";
import { startStack } from "./lib/stack";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.CHECKPOINT_DISABLE = "1";

const started = Date.now();
let stopping = false;

// Ctrl-C while still starting: stop the processes already launched (they
// run in their own process groups and would not get the terminal's signal).
const abortStartup = async () => {
  stopping = true;
  console.log("\nStopping…");
  await stopAllProcesses();
  process.exit(130);
};
process.once("SIGINT", abortStartup);
process.once("SIGTERM", abortStartup);

try {
  const stack = await startStack({ mode: "dev", ports: DEV_PORTS, dataDir: ".data/pg", database: "app" });
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

  process.off("SIGINT", abortStartup);
  process.off("SIGTERM", abortStartup);
  const shutdown = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    await stack.stop();
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  const crashed = await stack.crashed;
  if (!stopping) {
    console.error(`${crashed} exited unexpectedly; stopping the rest.`);
    await shutdown(1);
  }
} catch (error) {
  console.error(`\nnpm run dev could not start: ${(error as Error).message}`);
  process.exit(1);
}
