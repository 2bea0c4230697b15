// What a form action answers when it does not redirect: the same error a
// JSON route would give (code, message, per-field messages), plus the values
// the person typed so the form re-renders with them. Passwords are never
// echoed back. With JavaScript off, Next renders the page with this state
// (React's useActionState); with it on, the form updates in place.

import type { ErrorBody, ErrorCode } from "@/lib/errors";

export type FormError = Omit<ErrorBody["error"], "code"> & { code: ErrorCode | "NETWORK" };

export type FormState =
  | { status: "idle"; values?: Record<string, string> }
  | { status: "error"; error: FormError; values: Record<string, string> }
  /** A form that stays on its page and reports success there (most redirect instead). */
  | { status: "done"; message: string; values?: Record<string, string> };

export const IDLE: FormState = { status: "idle" };

/** UC08: what a form says when its request never reached the server; what was typed stays in the fields. */
export const NETWORK_ERROR_MESSAGE = "We could not reach the server. Check your connection and try again.";
