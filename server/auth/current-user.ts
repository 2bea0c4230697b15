import "server-only";
import { getServerSession, type Session } from "next-auth";
import { authOptions } from "@/server/auth/options";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";

// A JWT stays valid until it expires, so a session is what the server says:
// getServerSession runs the jwt callback (options.ts), which checks the
// session's row (ended, idle, too old) and the user's session version (an
// email change bumps it). This function is the one check pages and the
// route wrapper use.

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof loadUser>>> & {
  /** The session row of this request (absent for users made outside a request, e.g. in tests). */
  sessionId?: string;
};

function loadUser(id: string) {
  return db.user.findUnique({
    where: { id },
    select: {
      id: true,
      phone: true,
      fullName: true,
      email: true,
      emailVerifiedAt: true,
      sessionVersion: true,
      passwordHash: true,
      lockedUntil: true,
    },
  });
}

export async function getCurrentUser(): Promise<CurrentUser | null> {
  return currentUserOf(await getServerSession(authOptions));
}

/** The user of a session as next-auth answered it (null when it has none); exported for tests. */
export async function currentUserOf(session: Session | null): Promise<CurrentUser | null> {
  if (!session?.user?.id) return null;
  const user = await loadUser(session.user.id);
  if (!user || session.sessionVersion !== user.sessionVersion || !session.sessionId) return null;
  return { ...user, sessionId: session.sessionId };
}

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  return user;
}
