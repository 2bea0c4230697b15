// npm test — everything CI checks, in order of speed: formatting, types,
// lint, the dependency rules, the offline security checks (secrets, lock
// file, licences, SBOM, advisories where the registry has them), the
// operations checks (promtool and amtool on ops/), then Vitest (unit, integration on a real
// PostgreSQL, workflows on the local engine, the stand-in packages' own
// suites), the production build, the release artefact packed from it and
// smoke-tested on its own (unpacked, migrated, started, deployed and rolled
// back), and the Playwright flows in real Chromium.
// It starts and stops every service it needs. Set DATABASE_URL to use
// another (local) PostgreSQL.
import { spawnSync } from "node:child_process";
import { testDatabaseServer } from "./lib/test-database";

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

// CI's stages (.ci/run prints its own the same way): each prints its wall time
// as it ends, so a log shows where the time went even when a later one fails.
function stage(name: string, run: () => boolean): boolean {
  console.log(`\n::: stage ${name}`);
  const started = Date.now();
  const ok = run();
  console.log(`::: stage ${name}: ${Math.round((Date.now() - started) / 1000)} s${ok ? "" : " (failed)"}`);
  return ok;
}

const started = Date.now();
// The typecheck script also checks each workspace package against its own tsconfig.
let ok =
  stage(
    "static checks",
    () =>
      step("format", "npm", ["run", "--silent", "format:check"]) &&
      step("typecheck", "npm", ["run", "--silent", "typecheck"]) &&
      step("lint", "npm", ["run", "--silent", "lint"]) &&
      step("dependency rules", "npm", ["run", "--silent", "check:deps"]),
  ) &&
  stage("security checks", () => step("security checks", "npm", ["run", "--silent", "check:security"])) &&
  stage("operations checks", () => step("operations checks", "npm", ["run", "--silent", "check:ops"]));

if (ok) {
  const postgres = await testDatabaseServer();
  const databaseUrl = postgres.url;
  try {
    ok =
      stage("unit and integration", () =>
        step("vitest (unit, integration, workflow, packages)", "npx", ["vitest", "run"], { DATABASE_URL: databaseUrl }),
      ) &&
      stage("build", () => step("production build", "npx", ["next", "build"])) &&
      // The artefact from that build, as a clean host gets it (scripts/release/smoke.ts).
      stage("release", () =>
        step("release (pack, unpack, migrate, start, smoke)", "npx", ["tsx", "scripts/release/smoke.ts"], { DATABASE_URL: databaseUrl }),
      ) &&
      stage("end-to-end", () => step("end-to-end (Playwright, Chromium)", "npx", ["playwright", "test"], { DATABASE_URL: databaseUrl }));
  } finally {
    await postgres.stop();
  }
}

console.log("\nTimings:");
for (const [name, ms] of timings) console.log(`  ${name.padEnd(50)} ${(ms / 1000).toFixed(1)} s`);
console.log(`  ${"total".padEnd(50)} ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(ok ? 0 : 1);
