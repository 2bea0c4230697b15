import { expect } from "@playwright/test";

// Reading mail through the SMTP catcher's inbox API. Every test uses its own
// addresses, so reading is filtered by recipient and nothing is ever deleted:
// emptying the inbox would pull messages from under tests running in parallel.

export type Email = { id: string; from: string; to: string[]; subject: string; text: string; html: string; receivedAt: string };

export const SUBJECTS = {
  verify: /Confirm your email address/,
  linked: /verified and linked/,
  oldHop: /Confirm you want to change your email/,
  newHop: /Confirm your new email address/,
  changed: /email was changed/,
} as const;

export class Mailbox {
  constructor(readonly inboxUrl: string) {}

  /** Messages to `to`, newest first; every message when `to` is omitted. */
  async list(to?: string): Promise<Email[]> {
    const query = to === undefined ? "" : `?to=${encodeURIComponent(to)}`;
    const response = await fetch(`${this.inboxUrl}/api/messages${query}`);
    if (!response.ok) throw new Error(`inbox answered ${response.status}`);
    return (await response.json()) as Email[];
  }

  /** Polls until `count` messages to `to` (matching `subject`) have arrived; returns the newest. */
  async waitForEmail(to: string, options: { subject?: RegExp; count?: number; timeoutMs?: number } = {}): Promise<Email> {
    const { subject, count = 1, timeoutMs = 20_000 } = options;
    let found: Email[] = [];
    await expect
      .poll(
        async () => {
          found = (await this.list(to)).filter((message) => !subject || subject.test(message.subject));
          return found.length;
        },
        { timeout: timeoutMs, message: `${count} email(s) to ${to}${subject ? ` matching ${subject}` : ""}` },
      )
      .toBeGreaterThanOrEqual(count);
    return found[0]!;
  }

  /** The confirm link an email carries (from its plain-text part). */
  linkIn(email: Email, path = "/email/confirm"): string {
    return linkIn(email, path);
  }

  /** The one-time token of the confirm link an email carries. */
  tokenIn(email: Email): string {
    return new URL(linkIn(email)).searchParams.get("token")!;
  }
}

export function linkIn(email: Email, path = "/email/confirm"): string {
  const match = email.text.match(new RegExp(`https?://[^\\s)\\]>]+${path}\\?[^\\s)\\]>]+`));
  if (!match) throw new Error(`no ${path} link in "${email.subject}"`);
  return match[0];
}
