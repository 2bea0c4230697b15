// The steps a workflow would take, driven by hand: start a request, send the
// current hop's link through real SMTP, and read the token back from the
// caught email, exactly as the person clicking it would get it.
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { confirmEmailLink } from "@/server/email-requests/confirm-email-link";
import { createRequest } from "@/server/email-requests/create-request";
import { sendEmailLink } from "@/server/email-requests/send-email-link";
import { hashLinkToken } from "@/server/email-requests/tokens";
import { AppError } from "@/server/errors";
import { uniqueEmail } from "./factories";
import { tokenIn, waitForEmails, type CaughtEmail } from "./mailbox";

export type SentLink = { token: string; email: CaughtEmail; linkId: string; sentTo: string };

/** Sends the request's current link (as the workflow's step does) and returns the token from the caught email. */
export async function sendLink(requestId: string): Promise<SentLink> {
  const outcome = await sendEmailLink({ requestId });
  if (!outcome.sent) throw new Error(`no link sent: ${outcome.reason}`);
  const link = await db.emailLink.findFirstOrThrow({ where: { requestId }, orderBy: { createdAt: "desc" } });
  // The email carrying this link: the one whose token hashes to the stored hash.
  const deadline = Date.now() + 5000;
  for (;;) {
    const email = (await waitForEmails(link.sentTo)).find((caught) => hashLinkToken(tokenIn(caught)) === link.tokenHash);
    if (email) return { token: tokenIn(email), email, linkId: link.id, sentTo: link.sentTo };
    if (Date.now() > deadline) throw new Error(`the email with link ${link.id} never reached ${link.sentTo}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Confirms a link as its request's owner would: signed in to the account
 * (the old address's hop of a change needs that, ADR 0018; the others do not
 * mind). Tests of the session rule itself call confirmEmailLink directly.
 */
export async function confirmAsOwner(token: unknown) {
  const link =
    typeof token === "string"
      ? await db.emailLink.findUnique({ where: { tokenHash: hashLinkToken(token) }, include: { request: true } })
      : null;
  return confirmEmailLink({ token, meta: NO_META, signedInUserId: link?.request.userId ?? null });
}

/** An add (or a signup's address): the address goes on the account unverified, and its link is sent. */
export async function startAdd(user: { id: string }, email = uniqueEmail("add")) {
  const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email, meta: NO_META });
  return { request, email, link: await sendLink(request.id) };
}

/** A change of a verified address, with the old hop's link sent to the old address. */
export async function startChange(user: { id: string }, email = uniqueEmail("new")) {
  const request = await createRequest({ userId: user.id, addressCheck: "answer-taken", email, meta: NO_META });
  return { request, email, link: await sendLink(request.id) };
}

/**
 * Runs `count` calls at once and sorts what came back into successes and
 * AppError codes. The connection pool is filled first: otherwise the first
 * call often finishes on the one open connection while the others are still
 * connecting, and a race would be tested only in name.
 */
export async function race<T>(count: number, run: (index: number) => Promise<T>) {
  await Promise.all(Array.from({ length: Math.min(count, 10) }, () => db.$executeRaw`SELECT pg_sleep(0.02)`));
  const settled = await Promise.allSettled(Array.from({ length: count }, (_, index) => run(index)));
  const won = settled.filter((s): s is PromiseFulfilledResult<Awaited<T>> => s.status === "fulfilled").map((s) => s.value);
  const errors = settled
    .filter((s): s is PromiseRejectedResult => s.status === "rejected")
    .map((s) => s.reason as Error & { code?: string });
  return { won, errors, codes: errors.map((error) => error.code ?? `${error.name}: ${error.message}`) };
}

/** The AppError a call rejects with (fails the test if it resolves), to assert on its code and retry time. */
export async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the call to be refused, but it succeeded");
}
