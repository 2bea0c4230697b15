import { z } from "zod";
import { parseRupees, formatPaisa } from "@/lib/money";
import { fromNepalLocal } from "@/lib/nepal-time";
import { REPEATS } from "@/lib/recurrence";
import { paymentRules } from "@/lib/rules";
import {
  currentPasswordField,
  paymentAmountField,
  recipientPhoneField,
  scheduleChangeInput,
  scheduleInput,
  transferInput,
} from "@/lib/schemas";

// The payment pages' forms as people fill them in: amounts in rupees, times
// as a datetime-local in Nepal time, the end as a choice. Each schema turns
// the form's strings into the API's input (paisa, ISO 8601) and then checks
// it with the API's own schema, so a form and the JSON route accept the same
// things. Every field is checked in the first pass, so one answer names every
// field in error, under the form's own field names.

/** The second stage: the API's own schema, its messages kept under their paths. */
function checkedBy<S extends z.ZodType>(schema: S) {
  return (value: unknown, ctx: z.RefinementCtx): z.output<S> => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return z.NEVER;
  };
}

const AMOUNT_FORMAT = "Enter the amount in rupees, e.g. 1,250.50.";
const TIME_FORMAT = "Choose a date and a time (Nepal time).";

/** "1,250.50" → 125050 paisa, then the payment limits. */
export const rupeesField = z
  .string({ error: AMOUNT_FORMAT })
  .transform((value, ctx) => {
    const paisa = parseRupees(value);
    if (paisa === null) {
      ctx.addIssue({ code: "custom", message: AMOUNT_FORMAT });
      return z.NEVER;
    }
    return paisa;
  })
  .pipe(paymentAmountField);

/** A datetime-local value read as Nepal time → ISO 8601 (UTC). */
const nepalTimeField = z.string({ error: TIME_FORMAT }).transform((value, ctx) => {
  const instant = fromNepalLocal(value);
  if (!instant) {
    ctx.addIssue({ code: "custom", message: TIME_FORMAT });
    return z.NEVER;
  }
  return instant.toISOString();
});

const noteText = z.string().max(paymentRules.noteMaxLength, `Keep the note to ${paymentRules.noteMaxLength} characters.`).optional();
const repeatChoice = z.enum(REPEATS, { error: "Choose how it repeats." });
export const END_CHOICES = ["never", "after", "on"] as const;
const endChoice = z.enum(END_CHOICES, { error: "Choose when it ends." });
const countText = z.string().optional();
const dateText = z.string().optional();

type EndFields = { end: (typeof END_CHOICES)[number]; endsAfter?: string; endsOn?: string };

/** The end as the API takes it; the other field of the pair is ignored (a hidden or stale value is not a second end). */
function endOf(form: EndFields, ctx: z.RefinementCtx): { endsAfter: number | null; endsOn: string | null } {
  if (form.end === "after") {
    const text = (form.endsAfter ?? "").trim();
    if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > paymentRules.maxOccurrences) {
      ctx.addIssue({
        code: "custom",
        path: ["endsAfter"],
        message: `Enter a number of payments from 1 to ${paymentRules.maxOccurrences}.`,
      });
    }
    return { endsAfter: Number(text), endsOn: null };
  }
  if (form.end === "on") {
    const text = (form.endsOn ?? "").trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !fromNepalLocal(`${text}T00:00`)) {
      ctx.addIssue({ code: "custom", path: ["endsOn"], message: "Choose the last day on which it may run." });
    }
    return { endsAfter: null, endsOn: text };
  }
  return { endsAfter: null, endsOn: null };
}

/** The "Pay now" form. */
export const transferForm = z
  .object({ toPhone: recipientPhoneField, amount: rupeesField, note: noteText, password: currentPasswordField })
  .transform(checkedBy(transferInput));

/** The "Schedule a payment" form. The remind checkbox is sent only when ticked. */
export const scheduleForm = z
  .object({
    toPhone: recipientPhoneField,
    amount: rupeesField,
    note: noteText,
    firstRunAt: nepalTimeField,
    repeat: repeatChoice,
    end: endChoice,
    endsAfter: countText,
    endsOn: dateText,
    remind: z.string().optional(),
    password: currentPasswordField,
  })
  .transform((form, ctx) => ({
    toPhone: form.toPhone,
    amount: form.amount,
    note: form.note,
    firstRunAt: form.firstRunAt,
    repeat: form.repeat,
    ...endOf(form, ctx),
    remind: form.remind !== undefined,
    password: form.password,
  }))
  .transform(checkedBy(scheduleInput));

/**
 * The reschedule form shows the schedule's current values and carries them
 * in hidden `was…` fields; only what the person changed is sent, so that
 * changing the amount alone does not also re-check an unchanged next run
 * time that is now less than 5 minutes away.
 */
export const rescheduleForm = z
  .object({
    amount: z.string({ error: AMOUNT_FORMAT }),
    nextRunAt: z.string({ error: TIME_FORMAT }),
    repeat: repeatChoice,
    end: endChoice,
    endsAfter: countText,
    endsOn: dateText,
    wasAmount: z.string().optional(),
    wasNextRunAt: z.string().optional(),
    wasRepeat: z.string().optional(),
    wasEnd: z.string().optional(),
    wasEndsAfter: z.string().optional(),
    wasEndsOn: z.string().optional(),
  })
  .transform((form, ctx) => {
    const change: Record<string, unknown> = {};
    if (form.amount.trim() !== (form.wasAmount ?? "").trim()) {
      const amount = rupeesField.safeParse(form.amount);
      if (amount.success) change.amount = amount.data;
      else ctx.addIssue({ code: "custom", path: ["amount"], message: amount.error.issues[0]?.message ?? AMOUNT_FORMAT });
    }
    if (form.nextRunAt.trim() !== (form.wasNextRunAt ?? "").trim()) {
      const instant = fromNepalLocal(form.nextRunAt);
      if (instant) change.nextRunAt = instant.toISOString();
      else ctx.addIssue({ code: "custom", path: ["nextRunAt"], message: TIME_FORMAT });
    }
    if (form.repeat !== form.wasRepeat) change.repeat = form.repeat;
    const endChanged =
      form.end !== form.wasEnd ||
      (form.end === "after" && (form.endsAfter ?? "").trim() !== (form.wasEndsAfter ?? "").trim()) ||
      (form.end === "on" && (form.endsOn ?? "").trim() !== (form.wasEndsOn ?? "").trim());
    if (endChanged) Object.assign(change, endOf(form, ctx));
    if (Object.keys(change).length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["amount"],
        message: "Nothing was changed: change the amount, the time, the repeat or the end.",
      });
    }
    return change;
  })
  .transform(checkedBy(scheduleChangeInput));

/** The test top-up form (local and e2e stacks only), in rupees. */
export const topUpForm = z.object({
  amount: z.string({ error: AMOUNT_FORMAT }).transform((value, ctx) => {
    const paisa = parseRupees(value);
    if (paisa === null || paisa <= 0 || paisa > paymentRules.maxTopUpPaisa) {
      ctx.addIssue({ code: "custom", message: `Enter an amount from ${formatPaisa(1)} to ${formatPaisa(paymentRules.maxTopUpPaisa)}.` });
      return z.NEVER;
    }
    return paisa;
  }),
});

/** A paisa amount as the amount field shows it: 125050 → "1250.50" (no grouping, so it reads back the same). */
export function rupeesInputValue(paisa: number): string {
  return `${Math.floor(paisa / 100)}.${String(paisa % 100).padStart(2, "0")}`;
}
