import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { env } from "@/server/env";
import { AppError, isAppError } from "@/server/errors";
import { log } from "@/server/logger";

// The pieces every route handler shares: bounded JSON parsing, the
// cross-origin rule for cookie-authenticated mutations, and the single place
// where errors become HTTP answers.

const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads and validates a JSON body. `emailCode` names the error code used when
 * the email field is what failed (INVALID_EMAIL on the email endpoints).
 */
export async function readJson<T extends z.ZodType>(
  request: Request,
  schema: T,
  options: { emailCode?: "INVALID_EMAIL" } = {},
): Promise<z.infer<T>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON (Content-Type: application/json).");
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const raw = await readBounded(request);
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw new AppError("INVALID_JSON", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const emailFailed = parsed.error.issues.some((issue) => issue.path[0] === "email");
    throw invalidInput(parsed.error, emailFailed && options.emailCode ? options.emailCode : "INVALID_INPUT");
  }
  return parsed.data;
}

async function readBounded(request: Request): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`);

export function invalidInput(error: z.ZodError, code: "INVALID_INPUT" | "INVALID_EMAIL" = "INVALID_INPUT"): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "body";
    fields[key] ??= issue.message;
  }
  const summary = Object.values(fields).join(" ");
  return new AppError(code, summary || "The request is invalid.", { fields });
}

/**
 * Browsers send Origin on every cross-origin POST/DELETE; a mismatch means
 * another site is trying to use this user's cookie. Native clients send no
 * Origin and are not exposed to this attack.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite === "cross-site") throw crossOrigin();
  if (!origin) return;
  const allowed = new Set([new URL(env.APP_URL).origin]);
  const host = request.headers.get("host");
  if (host) allowed.add(`${new URL(request.url).protocol}//${host}`);
  if (!allowed.has(origin)) throw crossOrigin();
}

const crossOrigin = () => new AppError("CROSS_ORIGIN", "Cross-origin requests are not allowed.");

export function errorResponse(error: unknown): NextResponse {
  if (isAppError(error)) {
    const headers: Record<string, string> = {};
    if (error.retryAfter !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(error.retryAfter)));
    return NextResponse.json(error.toBody(), { status: error.status, headers });
  }
  log.error("unhandled error in route handler", { error });
  return NextResponse.json(
    { error: { code: "INTERNAL", message: "Something went wrong on our side. Please try again." } },
    { status: 500 },
  );
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Wraps a route handler so every failure leaves in the API's error shape. */
export function handle<C = unknown>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
