// npm test — everything CI checks, in order of speed: types, lint, unit,
// integration (real PostgreSQL), the engine's conformance suite, then the
// production build and the Playwright flows in real Chromium. It starts and
// stops every service it needs. Set DATABASE_URL to use another PostgreSQL.
import { spawnSync } from "node:child_process";
import { TEST_PORTS } from "./lib/ports-config";
import { startEmbeddedPostgres } from "./lib/postgres";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const timings: [string, number][] = [];

function step(name: string, command: string, args: string[], extraEnv: Record<string, string> = {}) {
  console.log(`\n▶ ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  timings.push([name, Date.now() - started]);
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed`);
    return false;
  }
  return true;
}

const started = Date.now();
let ok = step("typecheck", "npm", ["run", "typecheck"]) && step("lint", "npx", ["eslint", "--max-warnings=0", "."]);

if (ok) {
  let databaseUrl = process.env.DATABASE_URL;
  let stopPostgres = async () => {};
  if (!databaseUrl) {
    const postgres = await startEmbeddedPostgres({ dataDir: ".data/pg-test", port: TEST_PORTS.postgres, database: "app_test" });
    databaseUrl = postgres.url;
    stopPostgres = postgres.stop;
  }
  try {
    ok =
      step("unit, integration and engine tests", "npx", ["vitest", "run"], { DATABASE_URL: databaseUrl }) &&
      step("production build", "npx", ["next", "build"]) &&
      step("end-to-end (Playwright, Chromium)", "npx", ["playwright", "test"], { DATABASE_URL: databaseUrl });
  } finally {
    await stopPostgres();
  }
}

console.log("\nTimings:");
for (const [name, ms] of timings) console.log(`  ${name.padEnd(36)} ${(ms / 1000).toFixed(1)} s`);
console.log(`  ${"total".padEnd(36)} ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(ok ? 0 : 1);
