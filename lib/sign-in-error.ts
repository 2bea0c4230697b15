import type { ErrorBody, ErrorCode } from "@/lib/errors";

// next-auth's Credentials provider can only pass a string from the server to
// the sign-in form. This is that string's format, used on both sides.

export type SignInError = {
  code: ErrorCode | "UNKNOWN";
  message: string;
  attemptsLeft?: number;
  lockedUntil?: string;
  retryAfterMs?: number;
};

export function encodeSignInError(error: ErrorBody["error"]): string {
  const { code, message, attemptsLeft, lockedUntil, retryAfterMs } = error;
  return JSON.stringify({ code, message, attemptsLeft, lockedUntil, retryAfterMs });
}

export function decodeSignInError(value: string | null | undefined): SignInError {
  try {
    const parsed = JSON.parse(value ?? "") as SignInError;
    if (typeof parsed.code === "string" && typeof parsed.message === "string") return parsed;
  } catch {
    // fall through: next-auth's own error names, e.g. "CredentialsSignin"
  }
  return { code: "UNKNOWN", message: "Sign-in failed. Check your connection and try again." };
}
