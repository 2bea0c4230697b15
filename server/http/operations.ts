import "server-only";
import { z } from "zod";
import {
  accountDeleted,
  accountExport,
  accountView,
  confirmOutcome,
  emailRequestView,
  entryView,
  occurrenceView,
  scheduleView,
  walletView,
  passwordChanged,
  resentLink,
  userView,
} from "@/lib/api";
import type { ErrorCode } from "@/lib/errors";
import type { rules } from "@/lib/rules";
import {
  changePasswordInput,
  deleteAccountInput,
  requestEmailInput,
  scheduleChangeInput,
  scheduleInput,
  signUpInput,
  tokenInput,
  topUpInput,
  transferInput,
} from "@/lib/schemas";

// The JSON API, described once. Each route handler is built from its entry
// (server/http/route.ts enforces auth, same-origin and the body schema), and
// /api/openapi.json is generated from the same entries, so the description
// cannot drift from what the handlers accept.

export type Operation = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** OpenAPI path template. */
  path: string;
  summary: string;
  /** "user": a signed-in session is required (401 UNAUTHENTICATED otherwise). */
  auth: "user" | "none";
  /**
   * Reject requests a browser marks as coming from another site. On for every
   * mutation that a cookie could authorise or that sends mail.
   */
  sameOrigin: boolean;
  body?: z.ZodType;
  /** The path's dynamic segments (`{id}` in `path`); a value that fails it answers 404. */
  params?: z.ZodType;
  /** Error code used when the `email` field is what failed validation. */
  emailCode?: "INVALID_EMAIL";
  answers: Partial<Record<200 | 201 | 202 | 503, z.ZodType>>;
  /** The media type of the success answers when it is not JSON (the error answers always are). */
  answerType?: string;
  /** Codes this operation answers with, beyond the ones every operation can. */
  errors: ErrorCode[];
  /**
   * A per-client budget (lib/rules.ts clientBudgets) the route wrapper takes
   * one unit of, after the body is valid and before the handler runs: 429
   * RATE_LIMITED past it. For endpoints anyone can call that cost real work.
   */
  budget?: keyof typeof rules.clientBudgets;
};

const check = z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() });
// `checks` only for an operator (Authorization: Bearer HEALTH_TOKEN); the public gets the status.
const health = z.object({
  status: z.enum(["ok", "degraded", "down"]),
  checks: z.object({ database: check, smtp: check, outbox: check, engine: check }).optional(),
});
const emailRequestAnswer = z.object({ emailRequest: emailRequestView });

const op = <const O extends Operation>(operation: O) => operation;

// Payments.
const REAUTH = ["WRONG_PASSWORD", "LOCKED", "SERVICE_UNAVAILABLE"] as const satisfies ErrorCode[];
const entryAnswer = z.object({ entry: entryView });
const scheduleAnswer = z.object({ schedule: scheduleView });
const scheduleParams = z.object({ id: z.uuid({ error: "There is no such scheduled payment." }) });
const scheduleAction = <A extends "skip" | "pause" | "resume">(action: A, summary: string) =>
  op({
    method: "POST",
    path: `/api/scheduled-payments/{id}/${action}`,
    summary,
    auth: "user",
    sameOrigin: true,
    params: scheduleParams,
    answers: { 200: scheduleAnswer },
    errors: ["NOT_FOUND", "SCHEDULE_NOT_ACTIVE"],
  });

export const operations = {
  signUp: op({
    method: "POST",
    path: "/api/auth/signup",
    summary: "Create an account; an email given here is stored unverified and gets a verification link",
    auth: "none",
    sameOrigin: true,
    body: signUpInput,
    // Each sign-up hashes a password and may send mail.
    budget: "signUp",
    answers: { 201: z.object({ user: userView }) },
    errors: ["PHONE_TAKEN", "EMAIL_TAKEN", "INVALID_INPUT"],
  }),
  getAccount: op({
    method: "GET",
    path: "/api/account",
    summary: "The signed-in user and any pending email request",
    auth: "user",
    sameOrigin: false,
    answers: { 200: accountView },
    errors: [],
  }),
  startEmailRequest: op({
    method: "POST",
    path: "/api/account/email",
    summary: "Add an email (no verified one yet) or start changing the verified one; needs the password",
    auth: "user",
    sameOrigin: true,
    body: requestEmailInput,
    emailCode: "INVALID_EMAIL",
    answers: { 202: emailRequestAnswer },
    errors: ["WRONG_PASSWORD", "LOCKED", "EMAIL_TAKEN", "SAME_EMAIL", "INVALID_EMAIL", "INVALID_INPUT", "RATE_LIMITED"],
  }),
  resendEmailLink: op({
    method: "POST",
    path: "/api/account/email/resend",
    summary: "Send the current hop's link again (a fresh link; the previous one stops working)",
    auth: "user",
    sameOrigin: true,
    answers: { 202: emailRequestAnswer },
    errors: ["NO_PENDING_REQUEST", "REQUEST_EXPIRED", "RATE_LIMITED"],
  }),
  cancelEmailRequest: op({
    method: "DELETE",
    path: "/api/account/email/request",
    summary: "Cancel the pending email request",
    auth: "user",
    sameOrigin: true,
    answers: { 200: z.object({ cancelled: z.literal(true) }) },
    errors: ["NO_PENDING_REQUEST"],
  }),
  endAllSessions: op({
    method: "POST",
    path: "/api/account/sessions/end",
    summary: "Sign out everywhere, this browser too",
    auth: "user",
    sameOrigin: true,
    answers: { 200: z.object({ ended: z.literal(true) }) },
    errors: [],
  }),
  changePassword: op({
    method: "POST",
    path: "/api/account/password",
    summary: "Change the password (needs the current one); signs out every other session and notifies the verified address",
    auth: "user",
    sameOrigin: true,
    body: changePasswordInput,
    answers: { 200: passwordChanged },
    errors: ["WRONG_PASSWORD", "LOCKED", "INVALID_INPUT"],
  }),
  exportAccount: op({
    method: "GET",
    path: "/api/account/export",
    summary: "Download your data: the account, addresses, email requests, sessions and your audit events, as a JSON attachment",
    auth: "user",
    sameOrigin: false,
    answers: { 200: accountExport },
    errors: [],
  }),
  deleteAccount: op({
    method: "DELETE",
    path: "/api/account",
    summary: "Delete the account (needs the password): personal data erased, audit rows pseudonymised",
    auth: "user",
    sameOrigin: true,
    body: deleteAccountInput,
    answers: { 200: accountDeleted },
    errors: ["WRONG_PASSWORD", "LOCKED", "INVALID_INPUT"],
  }),
  confirmEmailLink: op({
    method: "POST",
    path: "/api/email/confirm",
    summary:
      "Confirm a link from an email (consumes its token). No session is needed, except for the old address's hop of a change, which needs the session of the account that owns the request (403 OWNER_SESSION_REQUIRED otherwise; nothing changes and the link still works)",
    auth: "none",
    sameOrigin: true,
    body: tokenInput,
    budget: "emailLink",
    answers: { 200: confirmOutcome },
    errors: [
      "LINK_EXPIRED",
      "LINK_USED",
      "LINK_INVALID",
      "LINK_SUPERSEDED",
      "LINK_CANCELLED",
      "OWNER_SESSION_REQUIRED",
      "EMAIL_TAKEN",
      "INVALID_INPUT",
    ],
  }),
  resendExpiredLink: op({
    method: "POST",
    path: "/api/email/resend-link",
    summary: "From an expired link: a fresh link to the same address, if its request is still alive",
    auth: "none",
    sameOrigin: true,
    body: tokenInput,
    // Sends mail; shares the budget with confirming.
    budget: "emailLink",
    answers: { 202: resentLink },
    errors: ["REQUEST_EXPIRED", "LINK_INVALID", "LINK_USED", "RATE_LIMITED", "INVALID_INPUT"],
  }),
  getWallet: op({
    method: "GET",
    path: "/api/wallet",
    summary: "The wallet's balance and its latest entries",
    auth: "user",
    sameOrigin: false,
    answers: { 200: walletView },
    errors: [],
  }),
  transfer: op({
    method: "POST",
    path: "/api/wallet/transfers",
    summary:
      "Pay someone now, by mobile number (re-authenticates with the password). Send an `Idempotency-Key` header to make a retried request pay once.",
    auth: "user",
    sameOrigin: true,
    body: transferInput,
    answers: { 201: entryAnswer },
    errors: ["RECIPIENT_NOT_FOUND", "SELF_TRANSFER", "INSUFFICIENT_FUNDS", "LIMIT_EXCEEDED", ...REAUTH],
  }),
  topUp: op({
    method: "POST",
    path: "/api/wallet/top-ups",
    summary: "Development and tests only (404 in production): money into the wallet",
    auth: "user",
    sameOrigin: true,
    body: topUpInput,
    answers: { 201: entryAnswer },
    errors: ["NOT_FOUND"],
  }),
  listSchedules: op({
    method: "GET",
    path: "/api/scheduled-payments",
    summary: "The user's scheduled payments, newest first",
    auth: "user",
    sameOrigin: false,
    answers: { 200: z.object({ schedules: z.array(scheduleView) }) },
    errors: [],
  }),
  createSchedule: op({
    method: "POST",
    path: "/api/scheduled-payments",
    summary: "Schedule a payment, one-off or recurring (re-authenticates with the password); times in ISO 8601",
    auth: "user",
    sameOrigin: true,
    body: scheduleInput,
    answers: { 201: scheduleAnswer },
    errors: ["RECIPIENT_NOT_FOUND", "SELF_TRANSFER", "SCHEDULE_LIMIT_REACHED", "COOLING_OFF", ...REAUTH],
  }),
  getSchedule: op({
    method: "GET",
    path: "/api/scheduled-payments/{id}",
    summary: "One scheduled payment and the history of its occurrences, newest first",
    auth: "user",
    sameOrigin: false,
    params: scheduleParams,
    answers: { 200: z.object({ schedule: scheduleView, occurrences: z.array(occurrenceView) }) },
    errors: ["NOT_FOUND"],
  }),
  changeSchedule: op({
    method: "PATCH",
    path: "/api/scheduled-payments/{id}",
    summary: "Reschedule: any of amount, next run time, repeat and end, before the next payment starts",
    auth: "user",
    sameOrigin: true,
    params: scheduleParams,
    body: scheduleChangeInput,
    answers: { 200: scheduleAnswer },
    errors: ["NOT_FOUND", "SCHEDULE_NOT_ACTIVE", "COOLING_OFF"],
  }),
  skipSchedule: scheduleAction("skip", "Skip the next payment of a recurring schedule"),
  pauseSchedule: scheduleAction("pause", "Pause a recurring schedule"),
  resumeSchedule: scheduleAction("resume", "Resume a paused schedule at its next slot from now"),
  cancelSchedule: op({
    method: "DELETE",
    path: "/api/scheduled-payments/{id}",
    summary: "Cancel: nothing more runs (a payment already executing completes or does not, never half)",
    auth: "user",
    sameOrigin: true,
    params: scheduleParams,
    answers: { 200: scheduleAnswer },
    errors: ["NOT_FOUND", "SCHEDULE_NOT_ACTIVE"],
  }),
  health: op({
    method: "GET",
    path: "/api/health",
    summary:
      "Liveness of the app and its dependencies (503 when the database is down); checks cached a few seconds; `checks` only with `Authorization: Bearer <HEALTH_TOKEN>`",
    auth: "none",
    sameOrigin: false,
    answers: { 200: health, 503: health },
    errors: [],
  }),
  metrics: op({
    method: "GET",
    path: "/api/metrics",
    summary:
      "Prometheus metrics (text exposition format 0.0.4, not JSON) for a scraper sending `Authorization: Bearer <METRICS_TOKEN>`; 404 when METRICS_TOKEN is not configured, 401 without the right token",
    auth: "none",
    sameOrigin: false,
    answers: { 200: z.string().describe("Prometheus text exposition format (docs/metrics.md lists the metrics)") },
    answerType: "text/plain; version=0.0.4; charset=utf-8",
    errors: ["NOT_FOUND", "UNAUTHENTICATED"],
  }),
  openApi: op({
    method: "GET",
    path: "/api/openapi.json",
    summary: "This description (OpenAPI 3.1)",
    auth: "none",
    sameOrigin: false,
    answers: { 200: z.looseObject({ openapi: z.string() }) },
    errors: [],
  }),
} satisfies Record<string, Operation>;

/** Codes any operation can answer with, by what it declares. */
export function commonErrors(operation: Operation): ErrorCode[] {
  const codes: ErrorCode[] = ["INTERNAL"];
  if (operation.auth === "user") codes.push("UNAUTHENTICATED");
  if (operation.sameOrigin) codes.push("CROSS_ORIGIN");
  if (operation.body) codes.push("INVALID_JSON", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE", "INVALID_INPUT");
  if (operation.budget && !operation.errors.includes("RATE_LIMITED")) codes.push("RATE_LIMITED");
  return codes;
}
