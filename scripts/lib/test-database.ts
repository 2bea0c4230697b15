// Vitest global setup for the projects that need PostgreSQL. When the caller
// (npm test) already runs a server it passes DATABASE_URL; otherwise one is
// started here on the test port so a single `vitest run` works on its own.
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "./postgres";
import { TEST_PORTS } from "./ports-config";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.DATABASE_URL;
  if (given) {
    project.provide("databaseUrl", given);
    return;
  }
  const server = await startEmbeddedPostgres({ dataDir: ".data/pg-test", port: TEST_PORTS.postgres, database: "app_test" });
  project.provide("databaseUrl", server.url);
  return () => server.stop();
}
