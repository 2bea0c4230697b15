import "server-only";
import { AppError } from "@/server/errors";

const KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * The client's `Idempotency-Key` header: the same key on a retried request
 * gets the first answer's effect, not a second one. Absent: null (every
 * request is new). Malformed: 422, so a client's bug does not silently turn
 * into "no protection".
 */
export function idempotencyKey(request: Request): string | null {
  const key = request.headers.get("idempotency-key");
  if (key === null) return null;
  if (!KEY.test(key)) {
    throw new AppError("INVALID_INPUT", "The Idempotency-Key header must be 1 to 100 letters, digits or . _ : -", {
      fields: { "Idempotency-Key": "Use 1 to 100 letters, digits or . _ : -" },
    });
  }
  return key;
}
