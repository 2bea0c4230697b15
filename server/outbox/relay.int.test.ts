import { describe, expect, it } from "vitest";
import { emailRequested } from "@/lib/events";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { createRequest } from "@/server/email-requests/create-request";
import { checkHealth } from "@/server/health";
import { enqueue } from "@/server/outbox/enqueue";
import { outboxBacklog, relayOutbox, relaysSettled } from "@/server/outbox/relay";
import { eventApiOutage, publishedEvents } from "@/tests/support/events";
import { createUser, uniqueEmail } from "@/tests/support/factories";

const started = (requestId: string) => publishedEvents({ name: "account/email.requested", requestId });
const rowsOf = (requestId: string) => db.outboxEvent.findMany({ where: { data: { path: ["requestId"], equals: requestId } } });
/** Makes a row due now, as the backoff's passing would. */
const due = (requestId: string) =>
  db.outboxEvent.updateMany({ where: { data: { path: ["requestId"], equals: requestId } }, data: { nextAttemptAt: new Date(0) } });

describe("the outbox", () => {
  it("an event API outage while a request is created loses nothing: the row waits, and is sent once when it is back", async () => {
    const user = await createUser();
    const outage = await eventApiOutage({ userId: user.id });
    const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email: uniqueEmail(), meta: NO_META });
    await relaysSettled();

    // The request exists; its start event is kept, with why it is late.
    expect(await started(request.id)).toEqual([]);
    const [row] = await rowsOf(request.id);
    expect(row).toMatchObject({ name: "account/email.requested", eventId: `email-request-${request.id}`, publishedAt: null, attempts: 1 });
    expect(row!.lastError).toBeTruthy();
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: a pass of the cron leaves it alone (the backoff).
    await relayOutbox({ ids: [row!.id] });
    expect((await db.outboxEvent.findUniqueOrThrow({ where: { id: row!.id } })).attempts).toBe(1);

    await outage.restore();
    await due(request.id);
    expect(await relayOutbox({ ids: [row!.id] })).toEqual({ published: 1, failed: 0 });
    expect(await started(request.id)).toMatchObject([{ id: `email-request-${request.id}` }]);
    expect((await db.outboxEvent.findUniqueOrThrow({ where: { id: row!.id } })).publishedAt).not.toBeNull();

    // Published rows are never sent again.
    await due(request.id);
    await relayOutbox({ ids: [row!.id] });
    expect(await started(request.id)).toHaveLength(1);
  });

  it("a crash between the commit and the relay loses nothing: the row is there, and the reconciliation sends it", async () => {
    const user = await createUser();
    const requestId = crypto.randomUUID();
    // The transaction commits; the process "dies" before relayAfterCommit.
    const [id] = await db.$transaction((tx) =>
      enqueue(tx, emailRequested.create({ requestId, userId: user.id, kind: "add" }, { id: `email-request-${requestId}` })),
    );
    expect(await started(requestId)).toEqual([]);

    // The cron's pass relays everything due (this row among others).
    await relayOutbox();
    await relayOutbox({ ids: [id!] });
    expect(await started(requestId)).toMatchObject([{ id: `email-request-${requestId}`, data: { userId: user.id } }]);
  });

  it("a rolled-back transaction leaves no event behind", async () => {
    const requestId = crypto.randomUUID();
    await expect(
      db.$transaction(async (tx) => {
        await enqueue(tx, emailRequested.create({ requestId, userId: crypto.randomUUID(), kind: "add" }));
        throw new Error("the fact failed");
      }),
    ).rejects.toThrow("the fact failed");
    expect(await rowsOf(requestId)).toEqual([]);
  });

  it("concurrent relays never send one row twice", async () => {
    const user = await createUser();
    const requestId = crypto.randomUUID();
    const ids = await db.$transaction((tx) =>
      enqueue(
        tx,
        [1, 2, 3].map(() => emailRequested.create({ requestId, userId: user.id, kind: "add" })),
      ),
    );
    const results = await Promise.all(Array.from({ length: 5 }, () => relayOutbox({ ids })));
    expect(results.reduce((sum, result) => sum + result.published, 0)).toBe(3);
    expect(await started(requestId)).toHaveLength(3);
  });

  it("the backlog reports the oldest unpublished event's age, and health says degraded while it is stale", async () => {
    const requestId = crypto.randomUUID();
    await db.$transaction((tx) => enqueue(tx, emailRequested.create({ requestId, userId: crypto.randomUUID(), kind: "add" })));
    await db.outboxEvent.updateMany({
      where: { data: { path: ["requestId"], equals: requestId } },
      data: { createdAt: new Date(Date.now() - 3_600_000) },
    });
    const backlog = await outboxBacklog();
    expect(backlog.pending).toBeGreaterThanOrEqual(1);
    expect(backlog.oldestAgeMs).toBeGreaterThanOrEqual(3_600_000);
    const health = await checkHealth();
    expect(health.status).toBe("degraded");
    expect(health.checks.outbox).toMatchObject({ ok: false, error: expect.stringMatching(/unpublished/) });
    // Leave nothing overdue for other tests' health checks.
    await db.outboxEvent.deleteMany({ where: { data: { path: ["requestId"], equals: requestId } } });
  });
});
