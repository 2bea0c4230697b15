import { z } from "zod";
import { canonicalEmail } from "@/lib/email-address";
import { canonicalPhone } from "@/lib/phone";
import { formatPaisa } from "@/lib/money";
import { REPEATS } from "@/lib/recurrence";
import { paymentRules, rules } from "@/lib/rules";

// The API's input schemas: each one turns what a person typed into the
// canonical value, or a message they can act on. The route wrapper validates
// bodies with them and describes them in /api/openapi.json.

export const phoneField = z.string({ error: "Enter your mobile number." }).transform((value, ctx) => {
  const phone = canonicalPhone(value);
  if (!phone) {
    ctx.addIssue({ code: "custom", message: "Enter a Nepali mobile number, e.g. 9810578899." });
    return z.NEVER;
  }
  return phone;
});

// The schema accepts international local parts (the browser cannot know the
// relay); the server refuses them unless SMTP_UTF8 says the relay delivers
// them (server/email-requests/deliverable.ts), keeping lib/ free of settings.
export const emailField = z.string({ error: "Enter an email address." }).transform((value, ctx) => {
  const email = canonicalEmail(value, { unicodeLocalPart: true });
  if (!email) {
    ctx.addIssue({ code: "custom", message: "Enter a valid email address, e.g. name@example.com." });
    return z.NEVER;
  }
  return email;
});

export const newPasswordField = z
  .string({ error: "Choose a password." })
  .min(rules.passwordMinLength, `Use at least ${rules.passwordMinLength} characters.`)
  .max(rules.passwordMaxLength, `Use at most ${rules.passwordMaxLength} characters.`)
  .refine((value) => /\p{L}/u.test(value) && /\p{N}/u.test(value), "Use both letters and numbers.")
  .refine((value) => new Set(value).size > 3, "Use a less repetitive password.");

/** Re-authentication: any string; the check itself says whether it is right. */
export const currentPasswordField = z
  .string({ error: "Enter your password." })
  .min(1, "Enter your password.")
  .max(rules.passwordMaxLength, "That password is too long.");

// Security rule (issue 10, item 6): the name is typed by whoever signs up and
// is shown in the app and in mail to the account's verified address, so it
// may hold letters, combining marks, spaces and . - ' only: no digits, URLs,
// markup, control, bidi or zero-width characters. Letters from the Basic
// Multilingual Plane only: an astral character anywhere is refused (422).
// A dot straight before two letters reads as a domain ("evil.example");
// initials ("J.R.R.") and "Jr." stay fine.
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .'-]*$/u;
const DOMAIN_LIKE = /\.\p{L}{2,}/u;
const ASTRAL = /[\u{10000}-\u{10FFFF}]/u;

export const fullNameField = z
  .string({ error: "Enter your full name." })
  // Only ASCII spaces are folded: other whitespace (tabs, newlines, odd Unicode spaces) is refused below.
  .transform((value) =>
    value
      .normalize("NFC")
      .replace(/^ +| +$/g, "")
      .replace(/ {2,}/g, " "),
  )
  .pipe(
    z
      .string()
      .min(2, "Enter your full name.")
      .max(100, "Use at most 100 characters.")
      .refine(
        (value) => value.isWellFormed() && !ASTRAL.test(value) && NAME.test(value) && !DOMAIN_LIKE.test(value),
        "Use letters, spaces and . - ' only.",
      ),
  );

export const signUpInput = z
  .object({
    phone: phoneField,
    fullName: fullNameField,
    password: newPasswordField,
    // Optional: absent, null and "" (an empty form field) all mean "no email".
    email: z.preprocess((value) => (value === "" || value === undefined ? null : value), emailField.nullable()),
  })
  .superRefine((input, ctx) => {
    if (input.password.includes(input.phone.slice(4))) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "Do not use your mobile number in your password." });
    }
  });

export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  phone: phoneField,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1024),
});

export const requestEmailInput = z.object({ email: emailField, password: currentPasswordField });

/** Link tokens arrive as strings; their shape is checked where they are looked up. */
export const tokenInput = z.object({ token: z.string({ error: "The link token is missing." }).max(200) });
/** The expired-link page's form: a signed reference to the expired link, never its token. */
export const ticketInput = z.object({ ticket: z.string({ error: "The link reference is missing." }).max(300) });

export const changePasswordInput = z
  .object({ currentPassword: currentPasswordField, newPassword: newPasswordField })
  .refine((input) => input.newPassword !== input.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password different from your current one.",
  });
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

/** Account deletion: re-authentication only. */
export const deleteAccountInput = z.object({ password: currentPasswordField });

// Payments (docs/product/payments.md). Amounts are integer paisa in the API;
// forms convert what people type in rupees (lib/money.ts) before this.

const amountMessage = `Enter an amount from ${formatPaisa(paymentRules.minPaymentPaisa)} to ${formatPaisa(paymentRules.maxPaymentPaisa)}.`;

export const paymentAmountField = z
  .number({ error: "Enter the amount in paisa, as a whole number." })
  .int("Enter the amount in paisa, as a whole number.")
  .min(paymentRules.minPaymentPaisa, amountMessage)
  .max(paymentRules.maxPaymentPaisa, amountMessage);

/** Optional: absent, null and "" all mean no note. */
const noteField = z.preprocess(
  (value) => (typeof value === "string" ? value.trim() || null : (value ?? null)),
  z.string().max(paymentRules.noteMaxLength, `Keep the note to ${paymentRules.noteMaxLength} characters.`).nullable(),
);

export const recipientPhoneField = z.string({ error: "Enter the recipient's mobile number." }).transform((value, ctx) => {
  const phone = canonicalPhone(value);
  if (!phone) {
    ctx.addIssue({ code: "custom", message: "Enter a Nepali mobile number, e.g. 9810578899." });
    return z.NEVER;
  }
  return phone;
});

export const transferInput = z.object({
  toPhone: recipientPhoneField,
  amount: paymentAmountField,
  note: noteField,
  password: currentPasswordField,
});
export type TransferInput = z.infer<typeof transferInput>;

export const topUpInput = z.object({
  amount: z
    .number({ error: "Enter the amount in paisa, as a whole number." })
    .int("Enter the amount in paisa, as a whole number.")
    .min(1, "Enter an amount above zero.")
    .max(paymentRules.maxTopUpPaisa, `Top up at most ${formatPaisa(paymentRules.maxTopUpPaisa)} at once.`),
});

const instantField = z.iso.datetime({ offset: true, error: "Give a date and time in ISO 8601, e.g. 2026-12-01T09:00:00+05:45." });
const endsAfterField = z
  .number({ error: "Give the number of payments as a whole number." })
  .int("Give the number of payments as a whole number.")
  .min(1, "End after at least 1 payment.")
  .max(paymentRules.maxOccurrences, `End after at most ${paymentRules.maxOccurrences} payments.`)
  .nullable()
  .optional();
/** The last Nepal calendar day on which a payment may run, inclusive. */
const endsOnField = z.iso.date({ error: "Give the end date as YYYY-MM-DD (Nepal time)." }).nullable().optional();
const repeatField = z.enum(REPEATS, { error: "Choose how it repeats: none, daily, weekly or monthly." });

const oneEnd = (input: { endsAfter?: number | null; endsOn?: string | null }) => !(input.endsAfter != null && input.endsOn != null);
const oneEndIssue = { path: ["endsOn"], message: "Choose one end: after a number of payments, or on a date." };

export const scheduleInput = z
  .object({
    toPhone: recipientPhoneField,
    amount: paymentAmountField,
    note: noteField,
    firstRunAt: instantField,
    repeat: repeatField,
    endsAfter: endsAfterField,
    endsOn: endsOnField,
    remind: z.boolean({ error: "remind is true or false." }).optional(),
    password: currentPasswordField,
  })
  .refine(oneEnd, oneEndIssue);
export type ScheduleInput = z.infer<typeof scheduleInput>;

export const scheduleChangeInput = z
  .strictObject(
    {
      amount: paymentAmountField.optional(),
      nextRunAt: instantField.optional(),
      repeat: repeatField.optional(),
      endsAfter: endsAfterField,
      endsOn: endsOnField,
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys" ? "Only amount, nextRunAt, repeat, endsAfter and endsOn can be changed." : undefined,
    },
  )
  .refine(oneEnd, oneEndIssue)
  .refine((input) => Object.keys(input).length > 0, { message: "Say what to change: amount, nextRunAt, repeat, endsAfter or endsOn." });
export type ScheduleChangeInput = z.infer<typeof scheduleChangeInput>;
