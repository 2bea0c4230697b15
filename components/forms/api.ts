// The browser side of the JSON API: one place that turns every way a request
// can end (answer, error shape, dropped connection) into a value.

import type { ErrorBody, ErrorCode } from "@/lib/errors";
import { NETWORK_ERROR_MESSAGE } from "@/lib/form-state";

/** The API's error object, plus the two ways a call fails without one. */
export type ApiError = Omit<ErrorBody["error"], "code"> & { code: ErrorCode | "NETWORK" | "UNKNOWN" };

export type ApiResult<T> =
  { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiError; retryAfterSeconds?: number };

export { NETWORK_ERROR_MESSAGE };

export async function callApi<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? "POST",
      headers: init.body === undefined ? undefined : { "Content-Type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, status: 0, error: { code: "NETWORK", message: NETWORK_ERROR_MESSAGE } };
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, status: response.status, data: payload as T };
  const error = (payload as { error?: ApiError } | null)?.error;
  const retryAfter = Number(response.headers.get("Retry-After"));
  return {
    ok: false,
    status: response.status,
    error: error ?? { code: "UNKNOWN", message: "Something went wrong. Please try again." },
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  };
}
