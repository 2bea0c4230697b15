import "server-only";
import type { NextAuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { requestMeta } from "@/server/audit";
import { signInInput } from "@/lib/schemas";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { encodeSignInError } from "@/lib/sign-in-error";
import { checkSession } from "@/server/auth/check-session";
import { endSession } from "@/server/auth/end-session";
import { currentRequestMeta } from "@/server/auth/request-context";
import { SESSION_MAX_AGE_SECONDS } from "@/server/auth/session-cookie";
import { signInWithPassword } from "@/server/auth/sign-in-with-password";
import { env } from "@/server/env";
import { AppError, invalidInput, isAppError } from "@/server/errors";
import { log } from "@/server/logger";

declare module "next-auth" {
  interface User {
    sessionVersion: number;
    sessionId: string;
  }
  interface Session {
    user: { id: string; name: string };
    /** Copied from the JWT so server code can compare it; not a secret. */
    sessionVersion: number;
    /** The server-side session row (the `sessions` table) this JWT belongs to. */
    sessionId: string;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    /** The user's session version when this session was issued; see current-user.ts. */
    sv?: number;
    /** The id of the session's row; a JWT without one is not a session. */
    sid?: string;
  }
}

export { SESSION_MAX_AGE_SECONDS };

/** Thrown by the jwt callback for a session the server has ended: next-auth then answers no session and clears the cookie. */
class SessionEnded extends Error {
  name = "SessionEnded";
}

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
          const user = await signInWithPassword({ ...parsed.data, meta: requestMeta(req.headers ?? {}) });
          return { id: user.id, name: user.name, sessionVersion: user.sessionVersion, sessionId: user.sessionId };
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
    async jwt({ token, user }) {
      if (user) {
        token.sv = user.sessionVersion;
        token.sid = user.sessionId;
        return token;
      }
      // Every other use of the JWT (getServerSession, /api/auth/session): a
      // valid signature is not enough, the session's row must still be live,
      // so a signed-out, ended, idle or too old session gets no session at all.
      const live =
        token.sid !== undefined &&
        token.sub !== undefined &&
        (await checkSession({ sessionId: token.sid, userId: token.sub, sessionVersion: token.sv ?? 0 }));
      if (!live) throw new SessionEnded();
      return token;
    },
    session({ session, token }) {
      session.user = { id: token.sub ?? "", name: token.name ?? "" };
      session.sessionVersion = token.sv ?? 0;
      session.sessionId = token.sid ?? "";
      return session;
    },
  },
  events: {
    // Sign-out ends the session's row, not only the cookie. next-auth calls
    // this only after its CSRF check, and the route that serves next-auth
    // supplies the request meta (request-context.ts) for the audit log.
    async signOut({ token }) {
      if (!token?.sid || !token.sub) return;
      await endSession({ sessionId: token.sid, userId: token.sub, meta: currentRequestMeta() });
    },
  },
  logger: {
    error(code, metadata) {
      // An ended session is an expected answer, not an error worth a log line.
      if (metadata instanceof SessionEnded) return;
      log.error(`next-auth: ${code}`, { error: metadata });
    },
    warn(code) {
      log.warn(`next-auth: ${code}`);
    },
    debug() {},
  },
};
