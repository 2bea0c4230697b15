import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { DEMO_BALANCE, DEMO_USERS, seedDemoUsers } from "@/prisma/seed";

// The demo seed against a database that already holds accounts: it resets its
// own rows and never takes over one it did not create (the demo password is
// published in the README).

const [sita, ram] = DEMO_USERS;

describe("seedDemoUsers", () => {
  it("skips a phone held by an account the seed did not create, and leaves that row as it was", async () => {
    const real = await db.user.create({ data: { phone: ram.phone, fullName: "A Real Person", passwordHash: "not-the-demo-hash" } });

    const { skipped } = await seedDemoUsers(process.env.DATABASE_URL!);

    expect(skipped).toEqual([ram.phone]);
    expect(await db.user.findUniqueOrThrow({ where: { id: real.id } })).toMatchObject({
      fullName: "A Real Person",
      passwordHash: "not-the-demo-hash",
    });
    expect(await db.emailRequest.count({ where: { userId: real.id } })).toBe(0);
    // Its own row, with its fixed id, is written and reset on every run.
    expect(await db.user.findUniqueOrThrow({ where: { phone: sita.phone } })).toMatchObject({ id: sita.id, fullName: sita.fullName });
    await db.user.update({ where: { id: sita.id }, data: { fullName: "Renamed", failedPasswordCount: 3 } });
    expect((await seedDemoUsers(process.env.DATABASE_URL!)).skipped).toEqual([ram.phone]);
    expect(await db.user.findUniqueOrThrow({ where: { id: sita.id } })).toMatchObject({ fullName: sita.fullName, failedPasswordCount: 0 });
  });

  it("gives each demo wallet Rs. 50,000 and one demo schedule, once: a second run adds no money and no schedule", async () => {
    // The phone the first test gave to "A Real Person" is free again.
    await db.user.deleteMany({ where: { phone: ram.phone, NOT: { id: ram.id } } });
    expect((await seedDemoUsers(process.env.DATABASE_URL!)).skipped).toEqual([]);
    const snapshot = async () => ({
      balances: await Promise.all(
        DEMO_USERS.map(async (user) => Number((await db.wallet.findUniqueOrThrow({ where: { userId: user.id } })).balance)),
      ),
      schedules: await db.scheduledPayment.count({ where: { userId: { in: DEMO_USERS.map((user) => user.id) } } }),
      events: await db.outboxEvent.count({
        where: { name: "payments/occurrence.due", eventId: { startsWith: "occurrence-due:00000000-" } },
      }),
    });
    const first = await snapshot();
    expect(first).toEqual({ balances: [DEMO_BALANCE, DEMO_BALANCE], schedules: 2, events: 2 });
    await seedDemoUsers(process.env.DATABASE_URL!);
    expect(await snapshot()).toEqual(first);
  });
});
