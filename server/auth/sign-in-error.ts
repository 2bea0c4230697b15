import type { AppError, ErrorCode } from "@/server/errors";

// next-auth's Credentials provider can only pass a string from the server to
// the sign-in form. This is that string's format, used on both sides.

export type SignInError = { code: ErrorCode | "UNKNOWN"; message: string; attemptsLeft?: number; lockedUntil?: string };

export function encodeSignInError(error: AppError): string {
  return JSON.stringify({ code: error.code, message: error.message, ...error.extra });
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
