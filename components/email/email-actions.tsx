"use client";

import { createContext, useContext } from "react";
import type { ServerFormAction } from "@/components/forms/action-form";

type EmailActions = { resend: ServerFormAction; cancel: ServerFormAction };

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
