import type { QueryResult, QueryResultRow } from "pg";
import type { Tx } from "../db";
import { json } from "../db";
import type { FunctionConfig, FunctionRow } from "../types";

interface Queryable {
  query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

export async function getFunction(db: Queryable, id: string): Promise<FunctionRow | undefined> {
  const { rows } = await db.query<FunctionRow>("SELECT * FROM functions WHERE id = $1", [id]);
  return rows[0];
}

export type TriggeredFunction = FunctionRow & { expressions: Array<string | null> };

/** Functions with an event trigger for this name (exact, or a trailing `*` wildcard). */
export async function functionsTriggeredBy(tx: Tx, eventName: string): Promise<TriggeredFunction[]> {
  const { rows } = await tx.prepared<TriggeredFunction>(
    "functions_triggered_by",
    `SELECT f.*, array_agg(t.expression ORDER BY t.position) AS expressions
       FROM triggers t JOIN functions f ON f.id = t.function_id
      WHERE NOT f.deleted
        AND (t.event_name = $1 OR (right(t.event_name, 1) = '*' AND starts_with($1, left(t.event_name, -1))))
      GROUP BY f.id
      ORDER BY f.id`,
    [eventName],
  );
  return rows;
}

export async function upsertApp(tx: Tx, app: { id: string; url: string; sdk?: string; framework?: string }): Promise<void> {
  await tx.query(
    `INSERT INTO apps (id, url, sdk, framework, synced_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, sdk = EXCLUDED.sdk, framework = EXCLUDED.framework, synced_at = EXCLUDED.synced_at`,
    [app.id, app.url, app.sdk ?? null, app.framework ?? null, new Date(tx.now)],
  );
}

export async function upsertFunction(tx: Tx, appId: string, config: FunctionConfig): Promise<void> {
  const url = config.steps?.["step"]?.runtime?.url ?? "";
  const slug = config.id.startsWith(`${appId}-`) ? config.id.slice(appId.length + 1) : config.id;
  await tx.query(
    `INSERT INTO functions (id, app_id, slug, name, url, config, deleted, updated_at) VALUES ($1, $2, $3, $4, $5, $6, false, $7)
     ON CONFLICT (id) DO UPDATE SET app_id = EXCLUDED.app_id, slug = EXCLUDED.slug, name = EXCLUDED.name, url = EXCLUDED.url,
       config = EXCLUDED.config, deleted = false, updated_at = EXCLUDED.updated_at`,
    [config.id, appId, slug, config.name ?? slug, url, json(config), new Date(tx.now)],
  );
  await tx.query("DELETE FROM triggers WHERE function_id = $1", [config.id]);
  const triggers = config.triggers ?? [];
  for (let i = 0; i < triggers.length; i++) {
    const trigger = triggers[i]!;
    if (!trigger.event) continue;
    await tx.query("INSERT INTO triggers (function_id, position, event_name, expression) VALUES ($1, $2, $3, $4)", [
      config.id,
      i,
      trigger.event,
      trigger.expression ?? null,
    ]);
  }
}

/** Marks the app's functions that the latest sync no longer lists as deleted; returns their ids. */
export async function retireMissingFunctions(tx: Tx, appId: string, keep: string[]): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    "UPDATE functions SET deleted = true, updated_at = $3 WHERE app_id = $1 AND NOT deleted AND NOT (id = ANY($2::text[])) RETURNING id",
    [appId, keep, new Date(tx.now)],
  );
  if (rows.length) await tx.query("DELETE FROM triggers WHERE function_id = ANY($1::text[])", [rows.map((r) => r.id)]);
  return rows.map((r) => r.id);
}
