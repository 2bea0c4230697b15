"use client";

import { createContext, useContext } from "react";
import type { FormState } from "@/lib/form-state";

/** A server action as a form posts to it (server/http/form-action.ts). */
export type FormAction = (previous: FormState, formData: FormData) => Promise<FormState>;

type EmailActions = { resend: FormAction; cancel: FormAction };

// The pending request's forms (resend, cancel) post to server actions that
// live in app/ (components never import app/ or server/). The root layout
// hands them down once, so a PendingRequest needs nothing but the request
// wherever it is rendered: the profile, the resend page.
const Context = createContext<EmailActions | null>(null);

export function EmailActionsProvider({ children, ...actions }: EmailActions & { children: React.ReactNode }) {
  return <Context value={actions}>{children}</Context>;
}

export function useEmailActions(): EmailActions {
  const actions = useContext(Context);
  if (!actions) throw new Error("EmailActionsProvider is missing (app/layout.tsx provides it)");
  return actions;
}
