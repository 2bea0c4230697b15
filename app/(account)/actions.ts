"use server";

import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { changePasswordInput, deleteAccountInput, requestEmailInput, signInInput, signUpInput } from "@/lib/schemas";
import { changePassword } from "@/server/accounts/change-password";
import { deleteAccount } from "@/server/accounts/delete-account";
import { endAllSessions } from "@/server/accounts/end-all-sessions";
import { signUp } from "@/server/accounts/sign-up";
import { endSession } from "@/server/auth/end-session";
import { deleteSessionCookie, setSessionCookies } from "@/server/auth/session-cookie";
import { signInWithPassword } from "@/server/auth/sign-in-with-password";
import { startEmailRequest } from "@/server/email-requests/start-email-request";
import { formAction } from "@/server/http/form-action";

// The account's forms. Each works as a plain POST with JavaScript off (the
// action ends with redirect(), which Next answers with a 303 to the page that
// shows the result) and in place with it on (components/forms/action-form.tsx).
// Every export here is a public endpoint: each is a formAction(), which
// enforces same-origin, the session and the input schema before the handler,
// and each handler only calls server/ functions.

/** The callback path a form carries (hidden field), checked again: an open redirect here is a phishing aid. */
const callbackOf = (formData: FormData) => safeCallbackPath(formData.get("callbackUrl"));

export const signInAction = formAction({ auth: "none", input: signInInput, page: "/signin" }, async ({ input, meta, formData }) => {
  await setSessionCookies(await signInWithPassword({ ...input, meta }));
  redirect(callbackOf(formData));
});

export const signUpAction = formAction(
  { auth: "none", input: signUpInput, page: "/signup", budget: "signUp" },
  async ({ input, meta, formData }) => {
    await signUp({ ...input, meta });
    const callback = callbackOf(formData);
    // The same sign-in as the form's (budget, password check, audit, session row).
    // The account exists either way: if signing in fails now, the sign-in page takes over.
    const session = await signInWithPassword({ phone: input.phone, password: input.password, meta }).catch(() => null);
    if (!session) redirect(`/signin?callbackUrl=${encodeURIComponent(callback)}`);
    await setSessionCookies(session);
    redirect(callback);
  },
);

export const signOutAction = formAction({ auth: "none", page: "/profile" }, async ({ user, meta }) => {
  // Ends the session's row, not only the cookie: a copy of the cookie stops working too.
  if (user?.sessionId) await endSession({ sessionId: user.sessionId, userId: user.id, meta });
  await deleteSessionCookie();
  redirect("/signin");
});

export const signOutEverywhereAction = formAction({ auth: "user", page: "/profile" }, async ({ user, meta }) => {
  await endAllSessions({ user, meta });
  await deleteSessionCookie();
  redirect("/signin");
});

export const requestEmailAction = formAction(
  { auth: "user", input: requestEmailInput, page: "/profile/email", emailCode: true },
  async ({ user, input, meta }) => {
    await startEmailRequest({ user, ...input, meta });
    // The profile shows the pending request: where the link went, until when, resend and cancel.
    redirect("/profile?requested=1");
  },
);

export const changePasswordAction = formAction(
  { auth: "user", input: changePasswordInput, page: "/profile/password" },
  async ({ user, input, meta }) => {
    const { otherSessionsEnded } = await changePassword({ user, ...input, meta });
    redirect(`/profile/password?changed=${otherSessionsEnded}`);
  },
);

export const deleteAccountAction = formAction(
  { auth: "user", input: deleteAccountInput, page: "/profile/delete" },
  async ({ user, input, meta }) => {
    await deleteAccount({ user, password: input.password, meta });
    await deleteSessionCookie();
    redirect("/signup");
  },
);
