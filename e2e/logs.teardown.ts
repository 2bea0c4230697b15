import fs from "node:fs";
import { PASSWORD, expect, test as teardown } from "./support/fixtures";
import { database } from "./support/database";
import { STACK_LOG, missing } from "./support/env";

// Runs after every other test (the `logs` teardown project in
// playwright.config.ts): every token sent during the run, every address mail
// went to, and the test password must be absent from everything the app and
// the engine printed (masked addresses, n***@example.test, are fine).
teardown.skip(missing.stackLog !== null, missing.stackLog ?? "");

teardown("no token, full address or password appears in any log line", async ({ mailbox }) => {
  // The local catcher started with this run's stack, so it holds this run's mail only.
  const messages = await mailbox.list();
  const tokens = messages.flatMap((message) => [...message.text.matchAll(/token=([\w-]{43})/g)].map((match) => match[1]!));
  teardown.skip(tokens.length === 0, "no link was sent in this run, so there is no token to look for");
  const log = fs.readFileSync(STACK_LOG, "utf8");
  expect(log.length).toBeGreaterThan(1000);
  for (const token of tokens) expect(log.includes(token), `token ${token.slice(0, 6)}… in the logs`).toBe(false);
  expect(log.includes(PASSWORD)).toBe(false);
  const addresses = new Set(messages.flatMap((message) => message.to).map((address) => address.toLowerCase()));
  expect(addresses.size).toBeGreaterThan(10);
  const lowerLog = log.toLowerCase();
  for (const address of addresses) expect(lowerLog.includes(address), `${address.slice(0, 3)}… in the logs`).toBe(false);
});

// Money is never created, lost or moved twice: after every flow of the run,
// the database's own check (ledger_violations(), migration 20261123060000)
// finds nothing.
teardown("the ledger's invariants hold after the whole run", async () => {
  const db = database();
  teardown.skip(db === null, "no local test database to check");
  expect(await db!.sql("SELECT rule, detail FROM ledger_violations()")).toEqual([]);
});
