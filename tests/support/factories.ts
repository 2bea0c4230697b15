// Integration-test data: every test makes its own users, with unique phones
// and addresses, so test files can run in parallel against one database and
// nothing needs cleaning up (the run's database is dropped at the end).
import { randomInt, randomUUID } from "node:crypto";
import type { CurrentUser } from "@/server/auth/current-user";
import { hashPassword } from "@/server/auth/password";
import { db } from "@/server/db";
import { Prisma } from "@/server/generated/prisma/client";

export const PASSWORD = "correct-horse-42";

export type TestUser = CurrentUser & { password: string };

/** +97798xxxxxxxx: a valid Nepali mobile number (lib/phone.ts), random enough not to collide in a run. */
export function uniquePhone(): string {
  return `+97798${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
}

/** A canonical address (lower-case, ASCII) nobody else in the run has. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${randomUUID().slice(0, 13)}@example.com`;
}

// argon2 is deliberately slow; one hash per password per worker is plenty.
const hashes = new Map<string, Promise<string>>();
const hashOf = (password: string) => {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  return hashes.get(password)!;
};

const userSelect = {
  id: true,
  phone: true,
  fullName: true,
  email: true,
  emailVerifiedAt: true,
  sessionVersion: true,
  passwordHash: true,
  lockedUntil: true,
} as const;

/**
 * A user as the app reads it for a signed-in request (`CurrentUser`), plus
 * the plain password. `email: true` gives a fresh unique address. An
 * unverified address is not on the user (ADR 0012): it becomes a pending add
 * request for it, as signup would leave it (without its link sent).
 */
export async function createUser(
  options: { email?: string | true | null; verified?: boolean; password?: string; fullName?: string } = {},
): Promise<TestUser> {
  const password = options.password ?? PASSWORD;
  const email = options.email === true ? uniqueEmail() : (options.email ?? null);
  const passwordHash = await hashOf(password);
  for (let attempt = 0; ; attempt++) {
    try {
      const user = await db.user.create({
        data: {
          phone: uniquePhone(),
          fullName: options.fullName ?? "Test User",
          passwordHash,
          email: options.verified ? email : null,
          emailVerifiedAt: email && options.verified ? new Date() : null,
          ...(email &&
            !options.verified && {
              emailRequests: {
                create: { kind: "add", newEmail: email, currentHop: "new", expiresAt: new Date(Date.now() + 24 * 3_600_000) },
              },
            }),
        },
        select: userSelect,
      });
      return { ...user, password };
    } catch (error) {
      // A phone collision is astronomically rare; an email collision is the caller's doing.
      const retry =
        error instanceof Prisma.PrismaClientKnownRequestError &&
        error.code === "P2002" &&
        attempt < 3 &&
        !JSON.stringify(error.meta).includes("email");
      if (!retry) throw error;
    }
  }
}

/** A user with a verified address: the starting point of a change. */
export const createVerifiedUser = (options: { email?: string } = {}) => createUser({ email: options.email ?? true, verified: true });

/** The user as stored now (the shape server functions take as `user`). */
export async function reloadUser(user: { id: string; password?: string }): Promise<TestUser> {
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { ...userSelect, failedPasswordCount: true } });
  return { ...row, password: user.password ?? PASSWORD };
}

export const userRow = (id: string) => db.user.findUniqueOrThrow({ where: { id } });
export const requestRow = (id: string) => db.emailRequest.findUniqueOrThrow({ where: { id } });
export const linksOf = (requestId: string) => db.emailLink.findMany({ where: { requestId }, orderBy: { createdAt: "asc" } });
export const requestsOf = (userId: string) => db.emailRequest.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
export const auditActions = async (userId: string) =>
  (await db.auditEvent.findMany({ where: { userId }, orderBy: { id: "asc" }, select: { action: true } })).map((row) => row.action);
