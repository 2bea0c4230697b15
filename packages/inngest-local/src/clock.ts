// Engine time = real time + an offset kept in the database, so tests can move
// time forward (a 24 h wait times out at once), the offset survives restarts,
// and every engine on the same schema shares it. Leases stay on real time.
import type { Pool } from "./db";

export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  offset(): number {
    return this.offsetMs;
  }

  async load(pool: Pool): Promise<number> {
    const { rows } = await pool.query<{ offset_ms: string }>("SELECT offset_ms FROM clock WHERE id");
    this.offsetMs = Number(rows[0]?.offset_ms ?? 0);
    return this.offsetMs;
  }

  /** Moves engine time forward by `ms` for every engine on this schema. */
  async advance(pool: Pool, ms: number, channel: string): Promise<number> {
    if (!Number.isFinite(ms) || ms < 0) throw new Error("The clock only moves forward: ms must be a non-negative number.");
    const { rows } = await pool.query<{ offset_ms: string }>("UPDATE clock SET offset_ms = offset_ms + $1 WHERE id RETURNING offset_ms", [
      Math.round(ms),
    ]);
    this.offsetMs = Number(rows[0]?.offset_ms ?? this.offsetMs);
    await pool.query("SELECT pg_notify($1, 'clock')", [channel]);
    return this.offsetMs;
  }
}
