import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "inngest-local",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
