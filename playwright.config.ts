import { defineConfig } from "@playwright/test";
import fs from "node:fs";
import { TEST_PORTS } from "./scripts/lib/ports-config";

// Debian's Chromium (apt-get install chromium); Playwright's own browser
// download cannot work on these machines.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(executablePath)) {
  throw new Error(
    `Chromium not found at ${executablePath}. Install it with \`sudo apt-get install -y chromium fonts-liberation\` ` +
      `or point CHROMIUM_PATH at a Chromium binary.`,
  );
}

// BASE_URL points the suite at a deployment (and INBOX_URL at its inbox API);
// without it, Playwright starts the local e2e stack on the test ports.
// e2e/support/env.ts reads the same variables.
const external = process.env.BASE_URL;
const baseURL = external ?? `http://localhost:${TEST_PORTS.app}`;

// Tests that touch state every other test shares (the engine's clock, the
// SMTP catcher's outage switch) are tagged with this and run on their own,
// after the parallel ones.
const GLOBAL_STATE = /@global-state/;

export default defineConfig({
  testDir: "./e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  // Each test makes its own accounts and addresses; the machines have 2 cores.
  workers: 2,
  retries: 0,
  reporter: [["list"], ["./e2e/support/skip-reasons-reporter.ts"]],
  use: {
    baseURL,
    viewport: { width: 390, height: 844 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    {
      name: "parallel",
      grepInvert: GLOBAL_STATE,
      fullyParallel: true,
      teardown: "logs",
    },
    {
      // Starts only when every parallel test has ended, so nothing overlaps them.
      name: "global-state",
      grep: GLOBAL_STATE,
      dependencies: ["parallel"],
      fullyParallel: false,
      workers: 1,
    },
    {
      // Runs after both projects above, whether they passed or not.
      name: "logs",
      testMatch: /logs\.teardown\.ts$/,
    },
  ],
  webServer: external
    ? undefined
    : {
        // Plain node (no npx or tsx wrapper): the wrappers relay SIGTERM and, on a
        // busy machine, follow it with SIGKILL before the stack has stopped the
        // engine and the app, which would then keep the test ports.
        command: "node --import tsx scripts/e2e-stack.ts",
        url: `${baseURL}/api/health`,
        reuseExistingServer: false,
        timeout: 180_000,
        stdout: "pipe",
        stderr: "pipe",
        gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      },
});
