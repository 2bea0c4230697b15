import "server-only";
import type { UserView } from "@/lib/api";

/**
 * The public shape of a user in every API answer (lib/api.ts, `userView`).
 * `email` is the account's address as people know it: the verified one, or,
 * without one, the address a pending add is verifying (`emailVerified`
 * false). The database keeps only verified addresses on the user (ADR 0012);
 * the pending one comes from the request.
 */
export function presentUser(
  user: { id: string; phone: string; fullName: string; email: string | null; emailVerifiedAt: Date | null },
  pending: { newEmail: string } | null = null,
): UserView {
  const verified = user.email !== null && user.emailVerifiedAt !== null;
  return {
    id: user.id,
    phone: user.phone,
    fullName: user.fullName,
    email: verified ? user.email : (pending?.newEmail ?? user.email),
    emailVerified: verified,
  };
}
