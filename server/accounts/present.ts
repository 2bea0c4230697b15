import "server-only";
import type { UserView } from "@/lib/api";

/** The public shape of a user in every API answer (lib/api.ts, `userView`). */
export function presentUser(user: {
  id: string;
  phone: string;
  fullName: string;
  email: string | null;
  emailVerifiedAt: Date | null;
}): UserView {
  return {
    id: user.id,
    phone: user.phone,
    fullName: user.fullName,
    email: user.email,
    emailVerified: user.email !== null && user.emailVerifiedAt !== null,
  };
}
