import { describe, expect, it } from "vitest";
import { recordAudit } from "@/server/audit";
import { db } from "@/server/db";
import { createUser } from "@/tests/support/factories";

// The app's own database role (postgres here, as in development) cannot
// rewrite history: only the two audit_keeper functions of migration
// 20261123040000 may change or delete audit rows.

const REFUSED = /append-only/;

async function oneEvent() {
  const user = await createUser();
  await recordAudit({ userId: user.id, action: "auth.signed_in", meta: { ip: "203.0.113.1", userAgent: "x" } });
  return { user, event: await db.auditEvent.findFirstOrThrow({ where: { userId: user.id } }) };
}

describe("audit_events is append-only for the app", () => {
  it("refuses an UPDATE, through Prisma and in raw SQL", async () => {
    const { event } = await oneEvent();

    await expect(db.auditEvent.update({ where: { id: event.id }, data: { action: "nothing.happened" } })).rejects.toThrow(REFUSED);
    await expect(db.$executeRaw`UPDATE audit_events SET ip = NULL WHERE id = ${event.id}`).rejects.toThrow(REFUSED);
    expect(await db.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).toEqual(event);
  });

  it("refuses a DELETE and a TRUNCATE", async () => {
    const { event } = await oneEvent();

    await expect(db.auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(REFUSED);
    await expect(db.$executeRaw`DELETE FROM audit_events WHERE id = ${event.id}`).rejects.toThrow(REFUSED);
    await expect(db.$executeRawUnsafe("TRUNCATE audit_events")).rejects.toThrow(REFUSED);
    expect(await db.auditEvent.findUnique({ where: { id: event.id } })).not.toBeNull();
  });

  it("refuses deleting a user whose audit rows were not pseudonymised first", async () => {
    const { user, event } = await oneEvent();

    await expect(db.user.delete({ where: { id: user.id } })).rejects.toThrow();
    expect(await db.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ userId: user.id });
  });

  it("the purge function deletes only what is older than 13 months, whoever calls it", async () => {
    const { event } = await oneEvent();
    await db.$queryRaw`SELECT audit_purge_expired()`;
    expect(await db.auditEvent.findUnique({ where: { id: event.id } })).not.toBeNull();
  });

  it("the pseudonymisation function wants a keyed hash, not a blank", async () => {
    const { user } = await oneEvent();
    await expect(db.$queryRaw`SELECT audit_pseudonymise(${user.id}::uuid, ${"x"})`).rejects.toThrow(/keyed hash/);
  });
});
