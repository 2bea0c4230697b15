// npm run db:migrate — applies pending migrations to DATABASE_URL (default: the dev database).
import { applyMigrations } from "./lib/migrate";
import { DEV_PORTS } from "./lib/ports-config";
import { connectionUrl } from "./lib/postgres";

const databaseUrl = process.env.DATABASE_URL ?? connectionUrl(DEV_PORTS.postgres, "app");
try {
  const { applied, alreadyApplied } = await applyMigrations(databaseUrl);
  for (const name of applied) console.log(`applied ${name}`);
  console.log(`${applied.length} applied, ${alreadyApplied} already up to date`);
} catch (error) {
  const message = (error as Error).message;
  if (/ECONNREFUSED/.test(message)) {
    console.error("Cannot reach PostgreSQL. Start it with `npm run dev` (or set DATABASE_URL).");
  } else {
    console.error(message);
  }
  process.exit(1);
}
