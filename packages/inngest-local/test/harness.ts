// Vitest glue around the package's test harness (src/testing.ts): the database
// URL from the global setup, captured logs, an app per test file, and polling
// helpers.
import { Inngest, type InngestFunction } from "inngest";
import { inject } from "vitest";
import type { EngineClient } from "../src/client";
import type { Engine } from "../src/engine";
import { createLogger } from "../src/log";
import type { EngineOptions } from "../src/options";
import * as testing from "../src/testing";

export { newSchema } from "../src/testing";

export const databaseUrl = (): string => inject("databaseUrl");

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
  const started = await testing.startTestEngine({ databaseUrl: databaseUrl(), schema, logger: logs.logger, ...options });
  return { ...started, logs };
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
  const served = await testing.serveFunctions({ client: inngest, functions: build(inngest), port: options.port });
  return { ...served, inngest };
}

const noop = () => {};
const quietLogger = { info: noop, warn: noop, error: noop, debug: noop };

export function dropSchema(schema: string): Promise<void> {
  return testing.dropSchema(databaseUrl(), schema);
}

/** Polls `check` until it returns a defined, non-false value, or fails at the deadline. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
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
