import "server-only";
import { getServerSession } from "next-auth";
import { authOptions } from "@/server/auth/options";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";

// A JWT stays valid until it expires, so ending sessions server-side works
// by versioning: each session carries the user's session version from when it
// was issued, and any session older than the user's current version is
// treated as signed out (after an email change, say).

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof loadUser>>>;

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
  const session = await getServerSession(authOptions);
  if (!session?.user?.id) return null;
  const user = await loadUser(session.user.id);
  if (!user || session.sessionVersion !== user.sessionVersion) return null;
  return user;
}

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  return user;
}
