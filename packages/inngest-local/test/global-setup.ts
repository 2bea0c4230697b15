// The suite needs a PostgreSQL it may create and drop schemas in. It never
// starts one itself: the root `npm test` passes DATABASE_URL, and so must
// anyone running the package's tests alone.
import type { TestProject } from "vitest/node";
import { assertLocalDatabase } from "../src/testing";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** Throws rather than exits so that Vitest still tears down other projects' setups. */
function refuse(message: string): never {
  const error = new Error(`inngest-local tests: ${message}`);
  error.stack = error.message; // the message says it all; a stack into Vitest would only bury it
  throw error;
}

export default function setup(project: TestProject) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    refuse("DATABASE_URL is not set; point it at a local PostgreSQL, e.g. postgresql://postgres:postgres@127.0.0.1:5432/postgres");
  try {
    assertLocalDatabase(databaseUrl);
  } catch (error) {
    refuse((error as Error).message);
  }
  project.provide("databaseUrl", databaseUrl);
}
