// Demo users for `npm run dev` (documented in the README). Idempotent: each
// run resets the two demo accounts to their documented state and leaves every
// other account alone.
import { PrismaPg } from "@prisma/adapter-pg";
import argon2 from "argon2";
import { rules } from "../lib/rules";
import { PrismaClient } from "../server/generated/prisma/client";

export const DEMO_PASSWORD = "wallet-demo-1";
export const DEMO_USERS = [
  { phone: "+9779810578899", fullName: "Sita Sharma", email: "sita@example.com", verified: true },
  { phone: "+9779841000001", fullName: "Ram Thapa", email: "ram@example.com", verified: false },
] as const;

export async function seedDemoUsers(databaseUrl: string): Promise<void> {
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
      const row = await db.user.upsert({ where: { phone: user.phone }, update: data, create: { phone: user.phone, ...data } });
      await db.emailRequest.updateMany({
        where: { userId: row.id, status: "pending" },
        data: { status: "superseded", currentHop: null, closedAt: new Date() },
      });
      if (!user.verified) {
        await db.emailRequest.create({
          data: { userId: row.id, kind: "add", newEmail: user.email, currentHop: "new", expiresAt: new Date(Date.now() + 24 * 3_600_000) },
        });
      }
    }
  } finally {
    await db.$disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:54329/app";
  await seedDemoUsers(url);
  console.log(`seeded ${DEMO_USERS.length} demo users (password: ${DEMO_PASSWORD})`);
}
