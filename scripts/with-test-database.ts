// Runs one command with DATABASE_URL pointing at the test PostgreSQL (the
// embedded one on the test port, started and stopped here, unless
// DATABASE_URL is already set): `tsx scripts/with-test-database.ts vitest run --project integration`.
import { spawnSync } from "node:child_process";
import { testDatabaseServer } from "./lib/test-database";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("Usage: tsx scripts/with-test-database.ts <command> [args…]");
  process.exit(2);
}
const server = await testDatabaseServer();
let status: number;
try {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DATABASE_URL: server.url } });
  status = result.status ?? 1;
} finally {
  await server.stop();
}
process.exit(status);
