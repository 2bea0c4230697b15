import "server-only";
import { env } from "@/server/env";

// The app's "now" for anything time decides about money: whether a payment
// is due or late, which Nepal day a limit counts, when a schedule may start.
// In production that is the system clock. In the local and end-to-end stacks
// TEST_CLOCK_URL points at the local engine's clock API, so that a test that
// moves the engine's time a month ahead (its timers fire) moves the app's
// with it: the two never disagree about whether a payment is due.

const CLOCK_TIMEOUT_MS = 2_000;

export async function now(): Promise<Date> {
  if (!env.TEST_CLOCK_URL) return new Date();
  const response = await fetch(env.TEST_CLOCK_URL, { signal: AbortSignal.timeout(CLOCK_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`the test clock answered ${response.status}`);
  const { nowMs } = (await response.json()) as { nowMs: number };
  return new Date(nowMs);
}
