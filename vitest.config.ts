import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };
// `server-only` throws outside React Server Components; under Vitest the server
// modules are exercised directly, so it resolves to an empty module.
const serverOnly = { "server-only": path.resolve(import.meta.dirname, "scripts/lib/empty-module.ts") };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { ...alias, ...serverOnly } },
        test: {
          name: "unit",
          include: ["{app,components,emails,inngest,server}/**/*.test.{ts,tsx}"],
          exclude: ["**/*.int.test.{ts,tsx}", "**/node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias: { ...alias, ...serverOnly } },
        test: {
          name: "integration",
          include: ["{app,inngest,server,scripts}/**/*.int.test.{ts,tsx}", "tests/integration/**/*.test.{ts,tsx}"],
          globalSetup: ["scripts/lib/test-database.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      "packages/inngest-local",
      "packages/mail-catcher",
    ],
  },
});
