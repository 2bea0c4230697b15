// Demo users for `npm run dev` (documented in the README). Idempotent: each
// run resets the two demo accounts to their documented state and leaves every
// other account alone. The seed's rows carry fixed ids: a phone that belongs
// to an account with any other id was not created here and is never
// overwritten (the seed skips it), so running it against a database with real
// accounts cannot take one over with the published demo password.
import { PrismaPg } from "@prisma/adapter-pg";
import argon2 from "argon2";
import { rules } from "../lib/rules";
import { paymentOccurrenceDue } from "../lib/events";
import { fromNepalLocal, toNepalLocal } from "../lib/nepal-time";
import { PrismaClient } from "../server/generated/prisma/client";

export const DEMO_PASSWORD = "wallet-demo-1";
export const DEMO_USERS = [
  {
    id: "00000000-0000-4000-8000-00000000de01",
    phone: "+9779810578899",
    fullName: "Sita Sharma",
    email: "sita@example.com",
    verified: true,
  },
  { id: "00000000-0000-4000-8000-00000000de02", phone: "+9779841000001", fullName: "Ram Thapa", email: "ram@example.com", verified: false },
] as const;

/** Each demo wallet holds at least this much after a seed (paisa): Rs. 50,000. */
export const DEMO_BALANCE = 50_000_00;

/** One demo schedule each, between the two demo users (fixed ids: the seed creates each once). */
const DEMO_SCHEDULES = [
  { id: "00000000-0000-4000-8000-0000000005c1", from: 0, to: 1, amount: 2_500_00, note: "Rent share", repeat: "monthly" },
  { id: "00000000-0000-4000-8000-0000000005c2", from: 1, to: 0, amount: 500_00, note: "Lunch", repeat: "weekly" },
] as const;

/** Seeds the demo users; `skipped` lists the phones left alone because another account holds them. */
export async function seedDemoUsers(databaseUrl: string): Promise<{ skipped: string[] }> {
  const skipped: string[] = [];
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  try {
    // The app's own parameters (lib/rules.ts; server/auth/password.ts cannot be
    // imported from here, it is server-only): the argon2 defaults would be
    // other ones, and every demo sign-in would then upgrade the hash.
    const passwordHash = await argon2.hash(DEMO_PASSWORD, { type: argon2.argon2id, ...rules.passwordHashing });
    for (const user of DEMO_USERS) {
      // users.email holds verified addresses only (ADR 0012): an unverified
      // demo address is a pending add request, its link not sent yet (resend
      // from the profile sends it).
      const data = {
        fullName: user.fullName,
        passwordHash,
        email: user.verified ? user.email : null,
        emailVerifiedAt: user.verified ? new Date() : null,
        failedPasswordCount: 0,
        lockedUntil: null,
        deviceFailedPasswordCount: 0,
        deviceLockedUntil: null,
        failuresInWindow: 0,
        failureWindowStartedAt: null,
        accountLockedUntil: null,
      };
      const existing = await db.user.findUnique({ where: { phone: user.phone }, select: { id: true } });
      if (existing && existing.id !== user.id) {
        skipped.push(user.phone);
        continue;
      }
      const row = await db.user.upsert({ where: { id: user.id }, update: data, create: { id: user.id, phone: user.phone, ...data } });
      await db.emailRequest.updateMany({
        where: { userId: row.id, status: "pending" },
        data: { status: "superseded", currentHop: null, closedAt: new Date() },
      });
      if (!user.verified) {
        await db.emailRequest.create({
          data: { userId: row.id, kind: "add", newEmail: user.email, currentHop: "new", expiresAt: new Date(Date.now() + 24 * 3_600_000) },
        });
      }
      await topUpTo(db, row.id, DEMO_BALANCE);
    }
    if (skipped.length === 0) await seedDemoSchedules(db);
  } finally {
    await db.$disconnect();
  }
  return { skipped };
}

/**
 * Money enters the ledger only as an entry: a top-up from the system wallet,
 * as large as the wallet is short of `target` (a wallet with more keeps it).
 */
async function topUpTo(db: PrismaClient, userId: string, target: number) {
  await db.$transaction(async (tx) => {
    const wallet = await tx.wallet.findUniqueOrThrow({ where: { userId } });
    const source = await tx.wallet.findUniqueOrThrow({ where: { systemCode: "top_ups" } });
    const short = BigInt(target) - wallet.balance;
    if (short <= 0n) return;
    await tx.ledgerEntry.create({
      data: {
        idempotencyKey: `seed:${userId}:${Date.now()}`,
        kind: "top_up",
        postings: {
          create: [
            { walletId: source.id, amount: -short },
            { walletId: wallet.id, amount: short },
          ],
        },
      },
    });
  });
}

/**
 * The demo schedules, each created once (a demo user may cancel theirs). The
 * first payment is tomorrow at 09:00 Nepal time; its run starts from the
 * outbox event written with it, as createSchedule writes it
 * (server/payments/schedules.ts, occurrenceDueEvent: the same event id).
 */
async function seedDemoSchedules(db: PrismaClient) {
  const tomorrow = toNepalLocal(new Date(Date.now() + 24 * 3_600_000)).slice(0, 10);
  const firstRunAt = fromNepalLocal(`${tomorrow}T09:00`)!;
  for (const demo of DEMO_SCHEDULES) {
    if (await db.scheduledPayment.findUnique({ where: { id: demo.id }, select: { id: true } })) continue;
    const payer = DEMO_USERS[demo.from];
    const recipient = DEMO_USERS[demo.to];
    await db.$transaction(async (tx) => {
      const wallet = await tx.wallet.findUniqueOrThrow({ where: { userId: payer.id } });
      await tx.scheduledPayment.create({
        data: {
          id: demo.id,
          userId: payer.id,
          toPhone: recipient.phone,
          recipientId: recipient.id,
          amount: demo.amount,
          note: demo.note,
          repeat: demo.repeat,
          anchorAt: firstRunAt,
          nextRunAt: firstRunAt,
          occurrences: { create: { number: 1, dueAt: firstRunAt } },
        },
      });
      const event = paymentOccurrenceDue.create({
        scheduleId: demo.id,
        walletId: wallet.id,
        version: 1,
        number: 1,
        dueAt: firstRunAt.toISOString(),
      });
      await tx.outboxEvent.create({ data: { name: event.name, data: event.data, eventId: `occurrence-due:${demo.id}:v1:n1` } });
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // A database given by URL may hold real accounts: demo users (with a
  // published password) go there only on an explicit opt-in.
  if (process.env.DATABASE_URL && process.env.SEED_DEMO_USERS !== "1") {
    console.error("DATABASE_URL is set: seeding demo users there needs SEED_DEMO_USERS=1");
    process.exit(1);
  }
  const url = process.env.DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:54329/app";
  const { skipped } = await seedDemoUsers(url);
  const seeded = DEMO_USERS.length - skipped.length;
  console.log(`seeded ${seeded} demo users (password: ${DEMO_PASSWORD})`);
  if (skipped.length) console.log(`skipped ${skipped.join(", ")}: the phone belongs to an account the seed did not create`);
}
