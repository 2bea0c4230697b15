import "server-only";
import type { NextAuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { requestMeta } from "@/server/audit";
import { signInInput } from "@/lib/schemas";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { encodeSignInError } from "@/lib/sign-in-error";
import { signIn } from "@/server/auth/sign-in";
import { takeClientBudget } from "@/server/budgets/take-client-budget";
import { env } from "@/server/env";
import { AppError, invalidInput, isAppError } from "@/server/errors";
import { budgetKey } from "@/server/http/client-ip";

declare module "next-auth" {
  interface User {
    sessionVersion: number;
  }
  interface Session {
    user: { id: string; name: string };
    /** Copied from the JWT so server code can compare it; not a secret. */
    sessionVersion: number;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    /** The user's session version when this session was issued; see current-user.ts. */
    sv?: number;
  }
}

/** Outcomes of a sign-in that spend the client's failed-sign-in budget; anything else (a 503, say) gives it back. */
const COUNTS_AS_FAILED_SIGN_IN = new Set(["WRONG_PASSWORD", "LOCKED", "UNAUTHENTICATED"]);

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    Credentials({
      name: "Mobile number",
      credentials: { phone: { label: "Mobile number", type: "tel" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        try {
          const parsed = signInInput.safeParse(credentials ?? {});
          if (!parsed.success) throw invalidInput(parsed.error);
          const meta = requestMeta(req.headers ?? {});
          // Password guessing from one client is bounded before any hashing:
          // each attempt reserves a unit of the failed-sign-in budget
          // atomically (so a burst cannot all slip past one check), and one
          // that did not fail hands it back.
          const reservation = await takeClientBudget({ budget: "failedSignIn", client: budgetKey(meta.ip) });
          let user;
          try {
            user = await signIn({ ...parsed.data, meta });
          } catch (error) {
            if (!isAppError(error) || !COUNTS_AS_FAILED_SIGN_IN.has(error.code)) await reservation.refund();
            throw error;
          }
          await reservation.refund();
          return { id: user.id, name: user.fullName, sessionVersion: user.sessionVersion };
        } catch (error) {
          // next-auth hands the message of a thrown error to the client as
          // `error`; encoding the AppError keeps its code and retry time.
          const appError = isAppError(error) ? error : new AppError("INTERNAL", "Sign-in failed. Try again.");
          throw new Error(encodeSignInError(appError.toBody().error));
        }
      },
    }),
  ],
  callbacks: {
    // next-auth's own redirects (sign-in, sign-out) go through the same rule
    // as the pages: only a path on this app (lib/safe-redirect.ts).
    redirect({ url, baseUrl }) {
      return `${baseUrl}${safeCallbackPath(url, { origin: baseUrl })}`;
    },
    jwt({ token, user }) {
      if (user) token.sv = user.sessionVersion;
      return token;
    },
    session({ session, token }) {
      session.user = { id: token.sub ?? "", name: token.name ?? "" };
      session.sessionVersion = token.sv ?? 0;
      return session;
    },
  },
};
