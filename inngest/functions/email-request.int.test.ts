import type { RunDetailView } from "@wallet/inngest-local/client";
import { startInngestLocal, type InngestLocal } from "@wallet/inngest-local/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { functions } from "@/inngest/functions";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { cancelEmailRequest } from "@/server/email-requests/cancel-email-request";
import { createRequest } from "@/server/email-requests/create-request";
import { checkHealth, resetHealthCache } from "@/server/health";
import { resendEmailLink } from "@/server/email-requests/resend-email-link";
import { inngest } from "@/server/inngest";
import { relayOutbox, relaysSettled } from "@/server/outbox/relay";
import { createUser, uniqueEmail } from "@/tests/support/factories";
import { confirmAsOwner } from "@/tests/support/flows";
import { emailsTo, tokenIn, waitForEmails } from "@/tests/support/mailbox";

// The real workflows, served by the real Inngest SDK to the local engine,
// driven only through the server functions a user's requests call: the
// engine runs the steps, the durable waits and the clock; mail goes through
// SMTP to the catcher. What is asserted is what a person sees: the emails
// and the state of their request.

let local: InngestLocal;

beforeAll(async () => {
  local = await startInngestLocal({ databaseUrl: inject("testDatabaseUrl"), client: inngest, functions });
});
afterAll(() => local?.stop());

const WORKFLOW = "wallet-account-email-email-request";

/** The request's own workflow run (its event id is the request's), once `until` holds (default: it has stopped). */
async function workflowRun(requestId: string, until?: (run: RunDetailView) => boolean) {
  const [run] = (await local.client.eventRuns(`email-request-${requestId}`)).filter((candidate) => candidate.functionId === WORKFLOW);
  if (!run) throw new Error(`no workflow run for request ${requestId}`);
  return local.client.waitForRun(run.id, { timeoutMs: 20_000, until });
}

/**
 * Until the run waits for the confirmation. A person opens the email long
 * after that; a test confirming at once could land before the wait exists,
 * and the workflow would only notice at the link's expiry (it re-reads the
 * request then, so nothing is lost, only late).
 */
const waiting = (requestId: string) => workflowRun(requestId, (run) => run.waitingFor.pauses.length > 0);

async function requestStatus(requestId: string) {
  return (await db.emailRequest.findUniqueOrThrow({ where: { id: requestId } })).status;
}

describe("email-request workflow on the local engine", () => {
  it("add: sends the link, wakes on the confirmation, sends the linked email", async () => {
    const user = await createUser();
    const email = uniqueEmail("wf-add");
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email, meta: NO_META });

    const [link] = await waitForEmails(email, 1, 15_000);
    expect(link!.subject).toMatch(/Confirm your email address/);
    await waiting(request.id);
    expect(await confirmAsOwner(tokenIn(link!))).toMatchObject({ outcome: "verified" });

    const emails = await waitForEmails(email, 2, 15_000);
    expect(emails[0]!.subject).toMatch(/verified and linked/);
    expect((await workflowRun(request.id)).status).toBe("completed");
  });

  it("a confirmation the moment the email arrives wakes the workflow at once, not at the link's expiry", async () => {
    // The wait is registered together with the send (one parallel group), so
    // it exists before the email does: no waiting for the pause here.
    const oldEmail = uniqueEmail("wf-fast-old");
    const user = await createUser({ email: oldEmail, verified: true });
    const newEmail = uniqueEmail("wf-fast-new");
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: newEmail, meta: NO_META });

    const [oldLink] = await waitForEmails(oldEmail, 1, 15_000);
    await confirmAsOwner(tokenIn(oldLink!));
    const [newLink] = await waitForEmails(newEmail, 1, 15_000);
    await confirmAsOwner(tokenIn(newLink!));

    // Both waits took their events: the run completes well within the test's
    // timeout, while the links live for hours.
    expect((await workflowRun(request.id)).status).toBe("completed");
    expect((await waitForEmails(newEmail, 2, 15_000))[0]!.subject).toMatch(/verified and linked/);
  });

  it("the engine's event API unreachable while a request is created: the workflow starts once it is back, exactly one run", async () => {
    const user = await createUser();
    const email = uniqueEmail("wf-outage");
    // Nothing listens on port 9: every send is refused, as with an engine that is down.
    inngest.setEnvVars({ INNGEST_EVENT_API_BASE_URL: "http://127.0.0.1:9" });
    let request;
    try {
      request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email, meta: NO_META });
      await relaysSettled();
    } finally {
      inngest.setEnvVars({ INNGEST_EVENT_API_BASE_URL: local.engine.url });
    }
    const row = await db.outboxEvent.findUniqueOrThrow({ where: { eventId: `email-request-${request.id}` } });
    expect(row).toMatchObject({ publishedAt: null, attempts: 1 });

    // The reconciliation's pass, once the backoff is over.
    await db.outboxEvent.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(0) } });
    expect(await relayOutbox({ ids: [row.id] })).toEqual({ published: 1, failed: 0 });
    // A relay that died after sending, before marking: the row goes again, the id dedupes it.
    await db.outboxEvent.update({ where: { id: row.id }, data: { publishedAt: null, nextAttemptAt: new Date(0) } });
    await relayOutbox({ ids: [row.id] });

    const [link] = await waitForEmails(email, 1, 15_000);
    await confirmAsOwner(tokenIn(link!));
    // One run: one link and one "linked" email. (The engine stores the
    // repeated event as deduplicated, with no run of its own.)
    expect((await waitForEmails(email, 2, 15_000))[0]!.subject).toMatch(/verified and linked/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await emailsTo(email)).toHaveLength(2);
    expect(await requestStatus(request.id)).toBe("completed");
  });

  it("the engine restarts while the request waits for its confirmation: confirming afterwards completes it, exactly once", async () => {
    const user = await createUser();
    const email = uniqueEmail("wf-restart");
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email, meta: NO_META });
    const [link] = await waitForEmails(email, 1, 15_000);
    const waited = await waiting(request.id);

    // Down, as in a crash or a deploy: the wait is only in the engine's database.
    await local.stopEngine();
    resetHealthCache();
    expect(await checkHealth()).toMatchObject({ status: "degraded", checks: { engine: { ok: false } } });
    await local.startEngine();
    resetHealthCache();
    expect((await checkHealth()).checks.engine.ok).toBe(true);

    expect(await confirmAsOwner(tokenIn(link!))).toMatchObject({ outcome: "verified" });
    expect((await waitForEmails(email, 2, 15_000))[0]!.subject).toMatch(/verified and linked/);
    // The run that waited is the one that finished, and the request never had another.
    expect(await workflowRun(request.id)).toMatchObject({ id: waited.id, status: "completed" });
    const runs = (await local.client.eventRuns(`email-request-${request.id}`)).filter((run) => run.functionId === WORKFLOW);
    expect(runs).toHaveLength(1);
    // The run has completed, so every email it sends has gone: the link and one "linked".
    expect((await emailsTo(email)).map((message) => message.subject)).toEqual([
      expect.stringMatching(/verified and linked/),
      expect.stringMatching(/Confirm your email address/),
    ]);
    expect(await requestStatus(request.id)).toBe("completed");
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ email, emailVerifiedAt: expect.any(Date) });
  });

  it("change: the old address first, then the new one, then both notices", async () => {
    const oldEmail = uniqueEmail("wf-old");
    const user = await createUser({ email: oldEmail, verified: true });
    const newEmail = uniqueEmail("wf-new");
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: newEmail, meta: NO_META });

    const [oldLink] = await waitForEmails(oldEmail, 1, 15_000);
    // Nothing reaches the new address before the old one has confirmed.
    expect(await waitForEmails(newEmail, 0)).toEqual([]);
    await waiting(request.id);
    await confirmAsOwner(tokenIn(oldLink!));

    const [newLink] = await waitForEmails(newEmail, 1, 15_000);
    await workflowRun(request.id, (run) => run.waitingFor.pauses.some((pause) => pause.stepName === "wait for confirmation 2"));
    expect(await confirmAsOwner(tokenIn(newLink!))).toMatchObject({ outcome: "changed" });

    expect((await waitForEmails(oldEmail, 2, 15_000))[0]!.subject).toMatch(/changed/i);
    expect((await waitForEmails(newEmail, 2, 15_000))[0]!.subject).toMatch(/verified and linked/);
    expect((await workflowRun(request.id)).status).toBe("completed");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(newEmail);
  });

  it("resend while waiting: the fresh link replaces the first, and confirming it completes the request", async () => {
    const user = await createUser();
    const email = uniqueEmail("wf-resend");
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email, meta: NO_META });
    const [first] = await waitForEmails(email, 1, 15_000);
    await waiting(request.id);

    // The cooldown is measured from the last send; move it back instead of waiting.
    await db.emailRequest.update({ where: { id: request.id }, data: { lastSentAt: new Date(Date.now() - 61_000) } });
    await resendEmailLink({ userId: user.id, meta: NO_META });
    const [second] = await waitForEmails(email, 2, 15_000);
    expect(tokenIn(second!)).not.toBe(tokenIn(first!));

    await expect(confirmAsOwner(tokenIn(first!))).rejects.toMatchObject({ code: "LINK_SUPERSEDED" });
    await confirmAsOwner(tokenIn(second!));
    expect((await waitForEmails(email, 3, 15_000))[0]!.subject).toMatch(/verified and linked/);
    expect((await workflowRun(request.id)).status).toBe("completed");
  });

  it("expiry: when the engine's clock passes the link's lifetime, the request ends expired and nothing more is sent", async () => {
    const user = await createUser();
    const email = uniqueEmail("wf-expiry");
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email, meta: NO_META });
    await waitForEmails(email, 1, 15_000);
    await waiting(request.id);

    // The database's times are the app's clock, the wait is the engine's: move both a day on.
    const past = new Date(Date.now() - 1000);
    await db.emailRequest.update({ where: { id: request.id }, data: { expiresAt: past, hopExpiresAt: past } });
    await local.client.advanceClock(24 * 60 * 60 * 1000 + 60_000);

    expect((await workflowRun(request.id)).status).toBe("completed");
    expect(await requestStatus(request.id)).toBe("expired");
    expect((await waitForEmails(email, 1)).map((message) => message.subject)).not.toContainEqual(expect.stringMatching(/linked/));
  });

  it("cancel while waiting: the run ends at once (cancelOn), and the link no longer works", async () => {
    const user = await createUser();
    const email = uniqueEmail("wf-cancel");
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email, meta: NO_META });
    const [link] = await waitForEmails(email, 1, 15_000);
    await waiting(request.id);

    await cancelEmailRequest({ userId: user.id, meta: NO_META });
    expect((await workflowRun(request.id)).status).toBe("cancelled");
    await expect(confirmAsOwner(tokenIn(link!))).rejects.toMatchObject({ code: "LINK_CANCELLED" });
  });

  it("a newer request supersedes the waiting one: its run is cancelled, the new one runs to the end", async () => {
    const user = await createUser();
    const first = uniqueEmail("wf-first");
    const older = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: first, meta: NO_META });
    await waitForEmails(first, 1, 15_000);
    await waiting(older.id);

    const second = uniqueEmail("wf-second");
    const newer = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: second, meta: NO_META });
    expect((await workflowRun(older.id)).status).toBe("cancelled");
    const [link] = await waitForEmails(second, 1, 15_000);
    await waiting(newer.id);
    await confirmAsOwner(tokenIn(link!));
    expect((await workflowRun(newer.id)).status).toBe("completed");
    expect(await requestStatus(older.id)).toBe("superseded");
    expect((await waitForEmails(first, 1)).map((message) => message.subject)).not.toContainEqual(expect.stringMatching(/linked/));
  });
});
