"use server";

import { notFound, redirect } from "next/navigation";
import { rescheduleForm, scheduleForm, topUpForm, transferForm } from "@/lib/payment-forms";
import { formAction } from "@/server/http/form-action";
import { cancelSchedule, createSchedule, pauseSchedule, rescheduleSchedule, resumeSchedule, skipNext } from "@/server/payments/schedules";
import { payNow } from "@/server/wallet/pay-now";
import { topUp } from "@/server/wallet/top-up";

// The wallet's and the scheduled payments' forms (/wallet, /payments,
// /payments/[id]). Each is a formAction() (same-origin, session, input
// schema, the API's error object), reads the form in rupees and Nepal time
// (lib/payment-forms.ts turns it into paisa and ISO 8601), calls the same
// server function as the JSON route, and answers with a redirect (303) to the
// page that shows the result, so every form works with JavaScript off.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The schedule a form acts on (a hidden field); a malformed id is the not-found page, as it is for the page itself. */
function scheduleIdOf(formData: FormData): string {
  const id = formData.get("scheduleId");
  if (typeof id !== "string" || !UUID.test(id)) notFound();
  return id;
}

export const payNowAction = formAction({ auth: "user", input: transferForm, page: "/wallet" }, async ({ user, input, meta, formData }) => {
  // The page renders a fresh key with each form: the same form posted twice
  // (a resubmitted page, a retried request) pays once, as the API's Idempotency-Key does.
  const key = formData.get("paymentKey");
  const { entry } = await payNow({ user, ...input, meta, idempotencyKey: typeof key === "string" && UUID.test(key) ? key : null });
  redirect(`/wallet?paid=${entry.id}`);
});

export const topUpAction = formAction({ auth: "user", input: topUpForm, page: "/wallet" }, async ({ user, input }) => {
  await topUp({ userId: user.id, amount: input.amount });
  redirect("/wallet?topped=1");
});

export const scheduleAction = formAction({ auth: "user", input: scheduleForm, page: "/payments" }, async ({ user, input, meta }) => {
  const schedule = await createSchedule({ user, input, meta });
  redirect(`/payments/${schedule.id}?done=scheduled`);
});

export const rescheduleAction = formAction(
  { auth: "user", input: rescheduleForm, page: "/payments" },
  async ({ user, input, meta, formData }) => {
    const id = scheduleIdOf(formData);
    await rescheduleSchedule({ userId: user.id, id, input, meta });
    redirect(`/payments/${id}?done=rescheduled`);
  },
);

export const skipNextAction = formAction({ auth: "user", page: "/payments" }, async ({ user, meta, formData }) => {
  const id = scheduleIdOf(formData);
  await skipNext({ userId: user.id, id, meta });
  redirect(`/payments/${id}?done=skipped`);
});

export const pauseAction = formAction({ auth: "user", page: "/payments" }, async ({ user, meta, formData }) => {
  const id = scheduleIdOf(formData);
  await pauseSchedule({ userId: user.id, id, meta });
  redirect(`/payments/${id}?done=paused`);
});

export const resumeAction = formAction({ auth: "user", page: "/payments" }, async ({ user, meta, formData }) => {
  const id = scheduleIdOf(formData);
  await resumeSchedule({ userId: user.id, id, meta });
  redirect(`/payments/${id}?done=resumed`);
});

export const cancelScheduleAction = formAction({ auth: "user", page: "/payments" }, async ({ user, meta, formData }) => {
  const id = scheduleIdOf(formData);
  await cancelSchedule({ userId: user.id, id, meta });
  redirect(`/payments/${id}?done=cancelled`);
});
