import "server-only";
import { headers } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { ERROR_STATUS } from "@/lib/errors";
import type { FormState } from "@/lib/form-state";
import { requestMeta, type RequestMeta } from "@/server/audit";
import { getCurrentUser, type CurrentUser } from "@/server/auth/current-user";
import { takeClientBudget, type ClientBudgetName } from "@/server/budgets/take-client-budget";
import { env } from "@/server/env";
import { AppError, invalidInput, isAppError } from "@/server/errors";
import { budgetKey } from "@/server/http/client-ip";
import { isSameOriginHeaders } from "@/server/http/same-origin";
import { log } from "@/server/logger";
import { recordRequest } from "@/server/http/route";

// The form twin of route(): every server action the pages post to is a
// handler wrapped here, so that a form submitted with JavaScript off (a plain
// POST answered with a 303) and the same form enhanced by React go through
// the same rules as the JSON API: same-origin, session, validated input,
// request meta, the per-client budget, and errors as the API's error object.
// A handler ends with redirect() (303 to the page that shows the result) or
// returns a FormState to re-render the form.

const APP_ORIGIN = new URL(env.APP_URL).origin;

/** Form fields never echoed back into the page. */
const SECRET_FIELD = /password/i;

type Spec<S extends z.ZodType | undefined, A extends "user" | "none"> = {
  /** "user": a signed-in session is required; without one the action redirects to sign-in and back to `page`. */
  auth: A;
  input?: S;
  /** The page the form lives on: where sign-in returns to. */
  page: string;
  budget?: ClientBudgetName;
  /** INVALID_EMAIL for email inputs, as the JSON routes do. */
  emailCode?: boolean;
};

type Context<S, A> = {
  input: S extends z.ZodType ? z.infer<S> : undefined;
  user: A extends "user" ? CurrentUser : CurrentUser | null;
  meta: RequestMeta;
  formData: FormData;
};

export type FormAction = (previous: FormState, formData: FormData) => Promise<FormState>;

export function formAction<S extends z.ZodType | undefined = undefined, A extends "user" | "none" = "none">(
  spec: Spec<S, A>,
  handler: (context: Context<S, A>) => Promise<FormState | never>,
): FormAction {
  return async (previous, formData) => {
    const started = performance.now();
    let status = 500;
    try {
      const state = await run(previous, formData);
      status = state.status === "error" ? (ERROR_STATUS[state.error.code as keyof typeof ERROR_STATUS] ?? 500) : 200;
      return state;
    } catch (error) {
      status = thrownStatus(error);
      throw error;
    } finally {
      // The form's page is its route label: a fixed path per action, never a URL with ids.
      recordRequest(spec.page, "POST", status, started);
    }
  };

  async function run(_previous: FormState, formData: FormData): Promise<FormState> {
    const values = echoable(formData);
    try {
      const requestHeaders = await headers();
      if (!isSameOriginHeaders(requestHeaders, APP_ORIGIN)) throw new AppError("CROSS_ORIGIN", "Cross-origin requests are not allowed.");
      const user = await getCurrentUser();
      if (spec.auth === "user" && !user) redirect(`/signin?callbackUrl=${encodeURIComponent(spec.page)}`);
      let input: unknown = undefined;
      if (spec.input) {
        const parsed = spec.input.safeParse(Object.fromEntries([...formData.entries()].filter(([name]) => !name.startsWith("$ACTION"))));
        if (!parsed.success) throw invalidInput(parsed.error, spec.emailCode ? "INVALID_EMAIL" : "INVALID_INPUT");
        input = parsed.data;
      }
      const meta = requestMeta(requestHeaders);
      if (spec.budget) await takeClientBudget({ budget: spec.budget, client: budgetKey(meta.ip) });
      return await handler({ input, user, meta, formData } as Context<S, A>);
    } catch (error) {
      // redirect() and notFound() work by throwing: they are answers, not failures.
      unstable_rethrow(error);
      if (isAppError(error)) return { status: "error", error: error.toBody().error, values };
      log.error("unhandled error in form action", { error });
      return { status: "error", error: { code: "INTERNAL", message: "Something went wrong on our side. Please try again." }, values };
    }
  }
}

/** What a thrown answer means in HTTP: redirect() is a 303, notFound() a 404 (their digests say which); anything else a 500. */
function thrownStatus(error: unknown): number {
  const digest = typeof (error as { digest?: unknown })?.digest === "string" ? (error as { digest: string }).digest : "";
  if (digest.startsWith("NEXT_REDIRECT")) return 303;
  if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;")) return Number(digest.split(";")[1]) || 500;
  return 500;
}

function echoable(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of formData.entries()) {
    if (typeof value === "string" && !name.startsWith("$ACTION") && !SECRET_FIELD.test(name)) values[name] = value;
  }
  return values;
}
