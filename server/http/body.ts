import "server-only";
import type { z } from "zod";
import { AppError, invalidInput } from "@/server/errors";

// Bounded JSON bodies: a declared or actual size over the limit is refused
// before parsing, and validation failures name each field.

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
