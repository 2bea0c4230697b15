// Runs in each test worker before any test file is imported: server/env.ts
// reads process.env once, at its first import, and the Inngest client reads
// INNGEST_DEV when it is constructed, so these must be set first.
import { afterAll, expect, inject } from "vitest";

process.env.DATABASE_URL = inject("testDatabaseUrl");
process.env.SMTP_URL = inject("smtpUrl");
// A URL here puts the SDK in dev mode and sends events to the recorder.
process.env.INNGEST_DEV = inject("eventsUrl");
process.env.LOG_LEVEL = "warn";
// Unlocks the details of GET /api/health (tests/integration/health.test.ts).
process.env.HEALTH_TOKEN = "integration-health-token-0123456789abcdef";

// Money is never created, lost or moved twice: after every test file, the
// ledger's invariants (server/wallet/invariants.ts) hold for the whole database.
afterAll(async () => {
  const [{ db }, { ledgerViolations }] = await Promise.all([import("@/server/db"), import("@/server/wallet/invariants")]);
  expect(await ledgerViolations(db)).toEqual([]);
});
