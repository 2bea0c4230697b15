// Test harness: a fresh schema per test file, the engine on a random port, and
// a real inngest 4.24.0 app served by `inngest/node` over loopback HTTP.
import crypto from "node:crypto";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest, type InngestFunction } from "inngest";
import { createServer } from "inngest/node";
import pg from "pg";
import { inject } from "vitest";
import { startEngine, type Engine } from "../index";
import { EngineClient } from "../src/client";
import { createLogger } from "../src/log";
import type { EngineOptions } from "../src/options";

export const databaseUrl = (): string => inject("databaseUrl");

export function newSchema(): string {
  return `engine_test_${crypto.randomBytes(5).toString("hex")}`;
}

export class LogCapture {
  readonly lines: string[] = [];
  readonly logger = createLogger({
    level: "debug",
    write: (line) => {
      this.lines.push(line);
      if (process.env.ENGINE_TEST_LOGS) process.stdout.write(`${line}\n`);
    },
  });
  text(): string {
    return this.lines.join("\n");
  }
}

export interface TestEngine {
  engine: Engine;
  client: EngineClient;
  logs: LogCapture;
}

export async function startTestEngine(schema: string, options: Partial<EngineOptions> = {}, logs = new LogCapture()): Promise<TestEngine> {
  const engine = await startEngine({
    databaseUrl: databaseUrl(),
    schema,
    port: 0,
    pollIntervalMs: 50,
    backoffMs: [50, 100, 200],
    stopGraceMs: 500,
    logger: logs.logger,
    ...options,
  });
  return { engine, client: new EngineClient(engine.url), logs };
}

export interface TestApp {
  url: string;
  inngest: Inngest;
  close(): Promise<void>;
}

/** Serves the functions built by `build` on a random port; the client sends events to `engineUrl`. */
export async function startApp(
  appId: string,
  engineUrl: string,
  build: (inngest: Inngest) => InngestFunction.Any[],
  options: { port?: number } = {},
): Promise<TestApp> {
  const inngest = new Inngest({ id: appId, isDev: true, baseUrl: engineUrl, logger: quietLogger });
  const server: http.Server = createServer({ client: inngest, functions: build(inngest) });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/inngest`,
    inngest,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const noop = () => {};
const quietLogger = { info: noop, warn: noop, error: noop, debug: noop };

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Polls `check` until it returns a defined, non-false value, or fails at the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts calls per key (e.g. step executions), to prove each ran exactly once. */
export class Counter {
  private readonly counts = new Map<string, number>();
  hit(key: string): number {
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n;
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  entries(): Array<[string, number]> {
    return [...this.counts.entries()];
  }
}
