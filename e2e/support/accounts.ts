import { expect, type APIRequestContext, type APIRequest } from "@playwright/test";
import { database } from "./database";
import { BASE_URL } from "./env";
import { SUBJECTS, type Mailbox } from "./mailbox";
import { mintSessionCookie, signInThroughApi } from "./session";

/** Every test account's password. The log check (logs.teardown.ts) looks for it. */
export const PASSWORD = "correct-horse-42";

/** A fresh, valid Nepali mobile number per call, so tests never share accounts. */
export function uniquePhone(): string {
  return `98${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

/** A fresh address; it starts with `label`, whose first letter is what the app shows when it masks it. */
export function uniqueEmail(label = "user"): string {
  return `${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}@example.test`;
}

export type NewUser = {
  /** true: a fresh address; a string: this address; omitted or false: no email. */
  email?: boolean | string;
  /** Confirm the address through its link, as the user would. */
  verified?: boolean;
  fullName?: string;
};

export type TestUser = { id: string; phone: string; password: string; fullName: string; email: string | null };

/**
 * Creates accounts the way a client does (POST /api/auth/signup) and deletes
 * them after the test when the suite has the database. One per test.
 */
export class Accounts {
  private readonly created = new Set<string>();
  private readonly phones = new Set<string>();

  constructor(
    private readonly api: APIRequestContext,
    private readonly requests: APIRequest,
    private readonly mailbox: Mailbox | null,
  ) {}

  async create(options: NewUser = {}): Promise<TestUser> {
    const email = options.email === true ? uniqueEmail("user") : options.email || null;
    const fullName = options.fullName ?? "Asha Gurung";
    for (let attempt = 1; ; attempt += 1) {
      const phone = uniquePhone();
      const response = await this.api.post("/api/auth/signup", { data: { phone, fullName, password: PASSWORD, email: email ?? undefined } });
      // A random number can, rarely, belong to an account from an earlier run.
      if (response.status() === 409 && attempt < 3) continue;
      expect(response.status(), await response.text()).toBe(201);
      const { user } = (await response.json()) as { user: { id: string } };
      this.created.add(user.id);
      const created: TestUser = { id: user.id, phone, password: PASSWORD, fullName, email };
      if (options.verified) await this.verify(created);
      return created;
    }
  }

  /** Also deletes, after the test, the account a test signed up for itself (by its 10-digit number). */
  remember(phone: string): void {
    this.phones.add(phone);
  }

  /**
   * Confirms the signup link from the inbox, then waits for the "verified and
   * linked" email so that no workflow step of the account is still running
   * when the test starts.
   */
  private async verify(user: TestUser): Promise<void> {
    if (!user.email) throw new Error("a verified user needs an email");
    if (!this.mailbox) throw new Error("a verified user needs the inbox (INBOX_URL)");
    const link = await this.mailbox.waitForEmail(user.email, { subject: SUBJECTS.verify });
    const response = await this.api.post("/api/email/confirm", { data: { token: this.mailbox.tokenIn(link) } });
    expect(response.status(), await response.text()).toBe(200);
    await this.mailbox.waitForEmail(user.email, { subject: SUBJECTS.linked });
  }

  /**
   * Deletes what the test created. First lets each account's email workflow
   * end on its own (a pending request is cancelled as its owner would; a
   * completed one has sent its last email), so that no run wakes up to find
   * its rows gone. An account whose workflow does not settle is left behind:
   * unique numbers and addresses make leftovers harmless.
   */
  async cleanUp(): Promise<void> {
    const db = database();
    if (!db) return;
    const ids = [...this.created];
    if (this.phones.size) {
      const rows = await db.sql<{ id: string }>("SELECT id FROM users WHERE phone = ANY($1)", [[...this.phones].map((phone) => `+977${phone}`)]);
      ids.push(...rows.map((row) => row.id));
    }
    if (!ids.length) return;

    const requests = await db.sql<{ user_id: string; status: string; new_email: string }>(
      "SELECT user_id, status, new_email FROM email_requests WHERE user_id = ANY($1)",
      [ids],
    );
    const settled = await Promise.all(
      ids.map(async (id) => {
        const own = requests.filter((request) => request.user_id === id);
        try {
          if (own.some((request) => request.status === "pending")) await this.cancelPendingRequest(id);
          for (const request of own.filter((r) => r.status === "completed")) {
            await this.mailbox?.waitForEmail(request.new_email, { subject: SUBJECTS.linked, timeoutMs: 10_000 });
          }
          return id;
        } catch {
          return null;
        }
      }),
    );
    const deletable = settled.filter((id): id is string => id !== null);
    // audit_events.user_id is ON DELETE SET NULL: the test's audit rows would
    // otherwise stay behind anonymous; email requests and links cascade.
    await db.sql("DELETE FROM audit_events WHERE user_id = ANY($1)", [deletable]);
    await db.sql("DELETE FROM users WHERE id = ANY($1)", [deletable]);
  }

  private async cancelPendingRequest(userId: string): Promise<void> {
    const [row] = await (database()!).sql<{ phone: string; full_name: string }>("SELECT phone, full_name FROM users WHERE id = $1", [userId]);
    const credentials = { id: userId, phone: row!.phone.replace(/^\+977/, ""), password: PASSWORD, fullName: row!.full_name };
    const cookie = await mintSessionCookie(credentials);
    const request = await this.requests.newContext({ baseURL: BASE_URL, storageState: { cookies: cookie ? [cookie] : [], origins: [] } });
    try {
      if (!cookie) await signInThroughApi(request, credentials);
      const response = await request.delete("/api/account/email/request");
      // 404: the request ended meanwhile, which is just as good.
      if (response.status() !== 200 && response.status() !== 404) throw new Error(`cancel answered ${response.status()}`);
    } finally {
      await request.dispose();
    }
  }
}
