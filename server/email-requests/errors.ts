import "server-only";
import { AppError } from "@/server/errors";

export const emailTaken = () =>
  new AppError("EMAIL_TAKEN", "This email address is linked to another account. Use a different address.", {
    fields: { email: "This email address is linked to another account." },
  });

export const rateLimited = (retryAfterMs: number, message?: string) => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError("RATE_LIMITED", message ?? `You can ask for another email in ${describeWait(seconds)}.`, {
    retryAfter: seconds,
    extra: { retryAt: new Date(Date.now() + seconds * 1000).toISOString() },
  });
};

function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
