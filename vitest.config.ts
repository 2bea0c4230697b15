import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };
// `server-only` throws outside React Server Components; under Vitest the server
// modules are exercised directly, so it resolves to an empty module.
const serverOnly = { "server-only": path.resolve(import.meta.dirname, "scripts/lib/empty-module.ts") };
// The suites run the app's modules locally, with the development defaults:
// like the stack scripts, they say so (server/env.ts is strict without it).
const env = { APP_ENV: "local" };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { ...alias, ...serverOnly } },
        test: {
          name: "unit",
          env,
          include: ["{app,components,emails,inngest,lib,server,scripts,tests}/**/*.test.{ts,tsx}"],
          exclude: ["**/*.int.test.{ts,tsx}", "tests/integration/**", "**/node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias: { ...alias, ...serverOnly } },
        test: {
          name: "integration",
          env,
          include: ["{app,server,scripts}/**/*.int.test.{ts,tsx}", "tests/integration/**/*.test.{ts,tsx}"],
          // A fresh migrated database, an SMTP catcher and an event recorder per
          // run; files run in parallel (every test makes its own users).
          globalSetup: ["tests/setup/integration-global.ts"],
          setupFiles: ["tests/setup/integration-env.ts"],
          // The tests mostly wait on PostgreSQL and SMTP, not on the CPU: more
          // workers than cores keeps them busy (the default is cores - 1).
          maxWorkers: 4,
          // Vitest runs projects with different worker counts as separate groups, in this order.
          sequence: { groupOrder: 1 },
          // Nothing here mocks modules and every file sets the same environment,
          // so the workers keep their imports (Prisma, React Email, Inngest)
          // across files instead of paying for them again in each one.
          isolate: false,
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias: { ...alias, ...serverOnly } },
        test: {
          name: "workflow",
          env,
          // The real workflows on the local engine. Each file points the app's
          // Inngest client at its own engine, so files stay isolated.
          include: ["inngest/**/*.int.test.ts"],
          globalSetup: ["tests/setup/integration-global.ts"],
          setupFiles: ["tests/setup/integration-env.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      "packages/inngest-local",
      "packages/mail-catcher",
    ],
  },
});
