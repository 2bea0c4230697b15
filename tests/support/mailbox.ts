// The SMTP catcher's inbox API, as the integration tests read it. Addresses
// are unique per test, so reading by recipient is safe while files run in parallel.
import { inject } from "vitest";

export type CaughtEmail = { id: string; from: string; to: string[]; subject: string; text: string; html: string; receivedAt: string };

/** Every email caught for this address, newest first. */
export async function emailsTo(address: string): Promise<CaughtEmail[]> {
  const response = await fetch(new URL(`/api/messages?to=${encodeURIComponent(address)}`, inject("inboxUrl")));
  if (!response.ok) throw new Error(`inbox API answered ${response.status}`);
  return (await response.json()) as CaughtEmail[];
}

/** Waits (with a deadline, never a fixed sleep) until `count` emails have reached the address; newest first. */
export async function waitForEmails(address: string, count = 1, timeoutMs = 5000): Promise<CaughtEmail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const emails = await emailsTo(address);
    if (emails.length >= count) return emails;
    if (Date.now() > deadline) throw new Error(`expected ${count} email(s) to ${address}, found ${emails.length}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The one-time token in an email's link (the text part carries the full URL). */
export function tokenIn(email: CaughtEmail): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(email.text);
  if (!match) throw new Error(`no link token in "${email.subject}"`);
  return match[1]!;
}
