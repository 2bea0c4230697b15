// The migration that takes unverified addresses off users.email (ADR 0012),
// applied to a database holding the old shape of data.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const dir = path.resolve(import.meta.dirname, "../../prisma/migrations");
const sqlOf = (name: string) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
const scratch = `app_migration_${process.pid}_${Date.now()}`;
let client: pg.Client;

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: inject("databaseUrl") });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin(`CREATE DATABASE "${scratch}"`);
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${scratch}`;
  client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(sqlOf("20261122000000_init"));
  await client.query(sqlOf("20261122010000_email_requests"));
});

afterAll(async () => {
  await client?.end();
  await admin(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
});

const user = (id: string, email: string | null, verified: boolean) =>
  client.query(
    `INSERT INTO users (id, phone, full_name, password_hash, email, email_verified_at, updated_at) VALUES ($1, $2, 'T', 'x', $3, $4, now())`,
    [id, `+97798${id.slice(-8).replace(/\D/g, "0")}`, email, verified ? new Date() : null],
  );

describe("migration 20261123030000_pending_addresses", () => {
  it("keeps verified addresses, frees unverified ones (their pending request keeps verifying them), and forbids new ones", async () => {
    await user("00000000-0000-4000-8000-000000000001", "verified@example.com", true);
    await user("00000000-0000-4000-8000-000000000002", "pending@example.com", false);
    await user("00000000-0000-4000-8000-000000000003", "ended@example.com", false);
    await client.query(
      `INSERT INTO email_requests (id, user_id, kind, status, current_hop, new_email, expires_at, updated_at)
       VALUES ('10000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000002', 'add', 'pending', 'new', 'pending@example.com', now() + interval '1 day', now())`,
    );

    await client.query(sqlOf("20261123030000_pending_addresses"));

    const { rows } = await client.query<{ email: string | null }>(`SELECT email FROM users ORDER BY id`);
    expect(rows.map((row) => row.email)).toEqual(["verified@example.com", null, null]);
    const request = await client.query(`SELECT status, new_email FROM email_requests`);
    expect(request.rows).toEqual([{ status: "pending", new_email: "pending@example.com" }]);
    // Both freed addresses can now be taken by their owners.
    await user("00000000-0000-4000-8000-000000000004", "ended@example.com", true);
    await expect(user("00000000-0000-4000-8000-000000000005", "other@example.com", false)).rejects.toThrow(/users_email_verified_check/);
  });
});
