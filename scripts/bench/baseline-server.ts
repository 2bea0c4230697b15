// The yardstick for `npm run bench:api`: a bare node:http + pg server doing
// the database work of GET /api/account and nothing else. No framework, no
// JWT: the session's ids come in a plain cookie (`bench-session=<session id>.<user id>.<session version>`),
// so the difference between the two is what the app adds on top of the
// queries (routing, the session cookie's crypto, the ORM, rendering).
//
// The statements are the ones the app runs for that request, in the same
// order (server/auth/check-session.ts, server/auth/current-user.ts,
// server/email-requests/get-pending-request.ts), on a pool of pg's default
// size, which is also what @prisma/adapter-pg opens.
//
//   DATABASE_URL=… PORT=… tsx scripts/bench/baseline-server.ts
import http from "node:http";
import pg from "pg";

// lib/rules.ts's session limits, in seconds (scripts do not import app code:
// .dependency-cruiser.cjs). The bench checks only a session it just started,
// so a drift here would change no answer, only the numbers the query binds.
const SESSION_LIFETIME_S = 30 * 24 * 3600;
const SESSION_IDLE_TIMEOUT_S = 7 * 24 * 3600;
const SESSION_TOUCH_INTERVAL_S = 60;

const CHECK_SESSION = `
  WITH live AS (
    SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = $1::uuid
      AND s.user_id = $2::uuid
      AND s.ended_at IS NULL
      AND s.created_at > now() - make_interval(secs => $4)
      AND s.last_seen_at > now() - make_interval(secs => $5)
      AND u.session_version = $3
  ), touched AS (
    UPDATE sessions SET last_seen_at = now()
    WHERE id IN (SELECT id FROM live)
      AND last_seen_at < now() - make_interval(secs => $6)
    RETURNING id
  )
  SELECT id::text FROM live`;

const LOAD_USER = `
  SELECT id, phone, full_name, email, email_verified_at, session_version, password_hash, locked_until
  FROM users WHERE id = $1 LIMIT 1`;

const PENDING_REQUEST = `
  SELECT * FROM email_requests WHERE user_id = $1 AND status = 'pending' ORDER BY created_at DESC LIMIT 1`;

type UserRow = {
  id: string;
  phone: string;
  full_name: string;
  email: string | null;
  email_verified_at: Date | null;
  session_version: number;
};

export function startBaselineServer(options: { databaseUrl: string; port: number; host?: string }) {
  const pool = new pg.Pool({ connectionString: options.databaseUrl });
  const server = http.createServer(async (request, response) => {
    try {
      const match = /(?:^|;\s*)bench-session=([0-9a-f-]{36})\.([0-9a-f-]{36})\.(\d+)/.exec(request.headers.cookie ?? "");
      if (request.url !== "/api/account" || request.method !== "GET") return send(response, 404, { error: { code: "NOT_FOUND" } });
      if (!match) return send(response, 401, { error: { code: "UNAUTHENTICATED" } });
      const [, sessionId, userId, version] = match;
      const live = await pool.query(CHECK_SESSION, [
        sessionId,
        userId,
        Number(version),
        SESSION_LIFETIME_S,
        SESSION_IDLE_TIMEOUT_S,
        SESSION_TOUCH_INTERVAL_S,
      ]);
      if (live.rowCount !== 1) return send(response, 401, { error: { code: "UNAUTHENTICATED" } });
      const user = (await pool.query<UserRow>(LOAD_USER, [userId])).rows[0];
      if (!user || user.session_version !== Number(version)) return send(response, 401, { error: { code: "UNAUTHENTICATED" } });
      const pending = (await pool.query(PENDING_REQUEST, [userId])).rows[0] as
        { id: string; kind: string; status: string; new_email: string; current_hop: string | null; expires_at: Date } | undefined;
      const verified = user.email !== null && user.email_verified_at !== null;
      send(response, 200, {
        user: {
          id: user.id,
          phone: user.phone,
          fullName: user.full_name,
          email: verified ? user.email : (pending?.new_email ?? user.email),
          emailVerified: verified,
        },
        emailRequest: pending
          ? { id: pending.id, kind: pending.kind, status: pending.status, hop: pending.current_hop, expiresAt: pending.expires_at }
          : null,
      });
    } catch (error) {
      console.error(`baseline: ${(error as Error).message}`);
      send(response, 500, { error: { code: "INTERNAL" } });
    }
  });
  const listening = new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  return {
    listening,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

function send(response: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  response.end(text);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const databaseUrl = process.env.DATABASE_URL;
  const port = Number(process.env.PORT);
  if (!databaseUrl || !Number.isInteger(port)) {
    console.error("usage: DATABASE_URL=postgresql://… PORT=<port> tsx scripts/bench/baseline-server.ts");
    process.exit(2);
  }
  const baseline = startBaselineServer({ databaseUrl, port });
  await baseline.listening;
  console.log(`baseline listening on http://127.0.0.1:${port}`);
  const stop = () => void baseline.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
