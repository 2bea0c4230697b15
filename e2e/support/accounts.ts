import { expect, type APIRequestContext, type APIRequest } from "@playwright/test";
import { database } from "./database";
import { cancelRunIfRunning, runOfEmailRequest, runsOfEmailRequests, type Engine } from "./engine";
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
    /** The local engine, when this run has one: it shows when a workflow is ready or done. */
    private readonly engine: Engine | null,
  ) {}

  async create(options: NewUser = {}): Promise<TestUser> {
    const email = options.email === true ? uniqueEmail("user") : options.email || null;
    const fullName = options.fullName ?? "Asha Gurung";
    for (let attempt = 1; ; attempt += 1) {
      const phone = uniquePhone();
      const response = await this.api.post("/api/auth/signup", {
        data: { phone, fullName, password: PASSWORD, email: email ?? undefined },
      });
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
   * Confirms the signup link from the inbox through the API, as the landing
   * page's Confirm button does.
   *
   * The workflow only hears a confirmation that arrives once it waits for one:
   * an earlier one is recorded (the address is verified) but the workflow
   * learns of it only when its wait times out, hours later, and only then sends
   * the "verified and linked" email. A person is never that fast; this fixture
   * can be, so with the engine at hand it confirms once the workflow waits and
   * then waits for that email, leaving no step of the account running when the
   * test starts.
   */
  private async verify(user: TestUser): Promise<void> {
    if (!user.email) throw new Error("a verified user needs an email");
    if (!this.mailbox) throw new Error("a verified user needs the inbox (INBOX_URL)");
    const link = await this.mailbox.waitForEmail(user.email, { subject: SUBJECTS.verify });
    const waiting = await this.waitUntilWorkflowWaits(user.id);
    const response = await this.api.post("/api/email/confirm", { data: { token: this.mailbox.tokenIn(link) } });
    expect(response.status(), await response.text()).toBe(200);
    if (waiting) await this.mailbox.waitForEmail(user.email, { subject: SUBJECTS.linked });
  }

  /** Whether it could see the user's pending request's workflow waiting for the confirmation. */
  private async waitUntilWorkflowWaits(userId: string): Promise<boolean> {
    const db = database();
    if (!this.engine || !db) return false;
    const [request] = await db.sql<{ id: string }>("SELECT id FROM email_requests WHERE user_id = $1 AND status = 'pending'", [userId]);
    if (!request) return false;
    const engine = this.engine;
    let runId: string | null = null;
    await expect
      .poll(async () => (runId = await runOfEmailRequest(engine, request.id)), { message: "the signup's workflow run" })
      .not.toBeNull();
    await engine.waitForRun(runId!, { until: (run) => run.status !== "running" || run.waitingFor.pauses.length > 0 });
    return true;
  }

  /**
   * Deletes what the test created, once no workflow of it can wake up to find
   * its rows gone. With the engine at hand, a run still busy gets a few
   * seconds to end (a last email in flight) and is then cancelled. Without it,
   * a pending request is cancelled as its owner would, and a completed one
   * must have sent its last email. An account that cannot be settled is left
   * behind: unique numbers and addresses make leftovers harmless.
   */
  async cleanUp(): Promise<void> {
    const db = database();
    if (!db) return;
    const ids = [...this.created];
    if (this.phones.size) {
      const rows = await db.sql<{ id: string }>("SELECT id FROM users WHERE phone = ANY($1)", [
        [...this.phones].map((phone) => `+977${phone}`),
      ]);
      ids.push(...rows.map((row) => row.id));
    }
    if (!ids.length) return;

    const requests = await db.sql<EmailRequestRow>("SELECT id, user_id, status, new_email FROM email_requests WHERE user_id = ANY($1)", [
      ids,
    ]);
    const settled = await Promise.all(
      ids.map(async (id) => {
        const own = requests.filter((request) => request.user_id === id);
        try {
          if (this.engine) await this.endRuns(this.engine, own);
          else await this.settleWithoutEngine(id, own);
          return id;
        } catch {
          return null;
        }
      }),
    );
    const deletable = settled.filter((id): id is string => id !== null);
    // The audit log is append-only (its rows cannot be deleted): they are
    // pseudonymised as an account deletion does, and the user rows then go
    // (email requests, links and sessions cascade). One statement, with the
    // user rows locked first, so that an audit row written meanwhile (a lock
    // notice, a workflow step finishing) waits for it instead of blocking it.
    if (deletable.length === 0) return;
    await db.sql(
      `WITH locked AS (SELECT id FROM users WHERE id = ANY($1) FOR UPDATE),
            pseudonymised AS (SELECT audit_pseudonymise(id, 'e2e-' || id) FROM locked)
       DELETE FROM users WHERE id IN (SELECT id FROM locked) AND (SELECT count(*) FROM pseudonymised) >= 0`,
      [deletable],
    );
  }

  private async endRuns(engine: Engine, requests: EmailRequestRow[]): Promise<void> {
    const runs = await runsOfEmailRequests(
      engine,
      requests.map((request) => request.id),
    );
    await Promise.all(
      requests.map(async (request) => {
        const runId = runs.get(request.id);
        if (!runId) return;
        // A closed request's run may still be sending its last email: let it.
        // One that waits for a confirmation of a closed request missed the
        // event (see verify) and would sleep for hours: no use waiting.
        if (request.status !== "pending") {
          await engine
            .waitForRun(runId, {
              timeoutMs: 5_000,
              intervalMs: 100,
              until: (run) => run.status !== "running" || run.waitingFor.pauses.length > 0,
            })
            .catch(() => undefined);
        }
        await cancelRunIfRunning(engine, runId);
      }),
    );
  }

  private async settleWithoutEngine(userId: string, requests: EmailRequestRow[]): Promise<void> {
    if (requests.some((request) => request.status === "pending")) await this.cancelPendingRequest(userId);
    for (const request of requests.filter((r) => r.status === "completed")) {
      if (!this.mailbox) throw new Error("cannot tell whether the last email went out");
      await this.mailbox.waitForEmail(request.new_email, { subject: SUBJECTS.linked, timeoutMs: 5_000 });
    }
  }

  private async cancelPendingRequest(userId: string): Promise<void> {
    const [row] = await database()!.sql<{ phone: string; full_name: string }>("SELECT phone, full_name FROM users WHERE id = $1", [userId]);
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

type EmailRequestRow = { id: string; user_id: string; status: string; new_email: string };
