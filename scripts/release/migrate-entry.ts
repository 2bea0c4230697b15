// The release's migration runner (bin/migrate), bundled with pg into one
// lib/migrate.mjs so that it runs with plain `node` on a host without the
// repository's node_modules. Same runner as `npm run db:migrate`.
import path from "node:path";
import { applyMigrations } from "../lib/migrate";

// lib/migrate.mjs sits beside the release's migrations/ folder.
const migrationsDir = path.resolve(import.meta.dirname, "../migrations");
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("bin/migrate: DATABASE_URL is not set (give the env file: bin/migrate --env-file /etc/wallet/wallet.env)");
  process.exit(1);
}
try {
  const { applied, alreadyApplied } = await applyMigrations(databaseUrl, migrationsDir);
  for (const name of applied) console.log(`applied ${name}`);
  console.log(`${applied.length} applied, ${alreadyApplied} already up to date`);
} catch (error) {
  // pg's messages name the host and the failing statement, never the password.
  console.error(`bin/migrate: ${(error as Error).message}`);
  process.exit(1);
}
