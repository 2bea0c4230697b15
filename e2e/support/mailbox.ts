import { expect } from "@playwright/test";
import { INBOX_URL } from "./env";

export type Email = { id: string; from: string; to: string[]; subject: string; text: string; html: string; receivedAt: string };

export async function listEmails(to: string): Promise<Email[]> {
  const response = await fetch(`${INBOX_URL}/api/messages?to=${encodeURIComponent(to)}`);
  if (!response.ok) throw new Error(`inbox answered ${response.status}`);
  return (await response.json()) as Email[];
}

/** Polls the SMTP catcher until a message for `to` (optionally matching the subject) arrives. */
export async function waitForEmail(to: string, options: { subject?: RegExp; timeoutMs?: number; count?: number } = {}): Promise<Email> {
  let found: Email[] = [];
  await expect
    .poll(
      async () => {
        found = (await listEmails(to)).filter((message) => !options.subject || options.subject.test(message.subject));
        return found.length >= (options.count ?? 1);
      },
      { timeout: options.timeoutMs ?? 20_000, message: `email to ${to}${options.subject ? ` matching ${options.subject}` : ""}` },
    )
    .toBe(true);
  return found[0]!;
}

/** The confirm link an email carries (from its plain-text part). */
export function linkIn(email: Email, path = "/email/confirm"): string {
  const match = email.text.match(new RegExp(`https?://[^\\s)\\]>]+${path}\\?[^\\s)\\]>]+`));
  if (!match) throw new Error(`no ${path} link in "${email.subject}"`);
  return match[0];
}
