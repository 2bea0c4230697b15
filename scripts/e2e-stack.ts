// The stack Playwright tests run against: the production build's standalone
// server (what the release ships), with every service on the test ports.
// Started and stopped by Playwright's webServer (playwright.config.ts).
import fs from "node:fs";
import path from "node:path";
import { TEST_PORTS } from "./lib/ports-config";
import { hasProductionBuild, startStack } from "./lib/stack";
import { E2E_INNGEST_KEYS, E2E_SECRETS } from "./lib/e2e-env";

if (!hasProductionBuild()) {
  console.error("No production build: run `npx next build` first (npm test does).");
  process.exit(1);
}

// Every line the app and the engine print, kept for the test that checks no
// token or password ever reaches a log (e2e/logs.teardown.ts).
export const STACK_LOG = path.resolve(".data/logs/e2e-stack.log");
fs.mkdirSync(path.dirname(STACK_LOG), { recursive: true });
const logFile = fs.createWriteStream(STACK_LOG, { flags: "w" });
const capture = (line: string) => logFile.write(line + "\n");

const stack = await startStack({
  mode: "e2e",
  ports: TEST_PORTS,
  dataDir: ".data/pg-test",
  database: "app_test",
  // The whole suite signs up and signs in from one address: the per-client
  // budgets are scaled up here (and tested on their own in the integration suite).
  appEnv: { ...E2E_SECRETS, LOG_LEVEL: "info", CLIENT_BUDGET_SCALE: "1000" },
  inngestCloud: E2E_INNGEST_KEYS,
  onAppLine: capture,
  onEngineLine: capture,
});
console.log(`e2e stack ready at ${stack.urls.app}`);

let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(code);
};
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));
const crashed = await stack.crashed;
if (!stopping) {
  console.error(`${crashed} exited unexpectedly`);
  await shutdown(1);
}
