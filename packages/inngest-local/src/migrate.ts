// Small versioned migrations in ./migrations (NNN_name.sql), applied in order
// inside the engine's schema under an advisory lock, so several engines
// starting together do not race.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { Logger } from "./log";

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

export function listMigrations(): Array<{ version: number; name: string; file: string }> {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d+_.+\.sql$/.test(file))
    .map((file) => ({ version: Number(file.split("_")[0]), name: file.replace(/\.sql$/, ""), file: path.join(MIGRATIONS_DIR, file) }))
    .sort((a, b) => a.version - b.version);
}

export async function migrate(databaseUrl: string, schema: string, log: Logger): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [`inngest-local-engine:migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`SET search_path TO ${schema}`);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
    const applied = new Set(rows.map((r) => r.version));
    let count = 0;
    for (const migration of listMigrations()) {
      if (applied.has(migration.version)) continue;
      const sql = fs.readFileSync(migration.file, "utf8");
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      log.info("migration applied", { schema, migration: migration.name });
      count++;
    }
    return count;
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext($1))", [`inngest-local-engine:migrate:${schema}`]).catch(() => {});
    await client.end();
  }
}
