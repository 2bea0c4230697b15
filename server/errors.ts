import "server-only";
import type { z } from "zod";
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from "@/lib/errors";

type Extra = Omit<ErrorBody["error"], "code" | "message" | "fields">;

/**
 * A broken rule, reported to the client as `ErrorBody`. Route handlers never
 * pick statuses themselves: the code decides (lib/errors.ts), and the route
 * wrapper turns the error into the answer.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  /** Extra members of the error object, e.g. `attemptsLeft`. */
  readonly extra?: Extra;
  /** Seconds, for 423/429 answers. */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, options: { fields?: Record<string, string>; extra?: Extra; retryAfter?: number } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = options.fields;
    this.extra = options.extra;
    this.retryAfter = options.retryAfter;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields && { fields: this.fields }), ...this.extra } };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A validation failure as INVALID_INPUT (or INVALID_EMAIL), with one message per field. */
export function invalidInput(error: z.ZodError, code: "INVALID_INPUT" | "INVALID_EMAIL" = "INVALID_INPUT"): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "body";
    fields[key] ??= issue.message;
  }
  const summary = Object.values(fields).join(" ");
  return new AppError(code, summary || "The request is invalid.", { fields });
}
