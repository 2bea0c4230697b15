import { expect, test } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { INBOX_URL } from "./support/env";
import { PASSWORD } from "./support/users";

// Runs last (file order): every token sent during the run, and the test
// password, must be absent from everything the app and the engine printed.
test("no token or password appears in any log line", async () => {
  const log = fs.readFileSync(path.resolve(".data/logs/e2e-stack.log"), "utf8");
  expect(log.length).toBeGreaterThan(1000);
  const messages = (await (await fetch(`${INBOX_URL}/api/messages`)).json()) as { text: string }[];
  const tokens = messages.flatMap((m) => [...m.text.matchAll(/token=([\w-]{43})/g)].map((match) => match[1]!));
  expect(tokens.length).toBeGreaterThan(10);
  for (const token of tokens) expect(log.includes(token), `token ${token.slice(0, 6)}… in the logs`).toBe(false);
  expect(log.includes(PASSWORD)).toBe(false);
});
