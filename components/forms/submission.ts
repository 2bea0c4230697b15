// How a server action called from the browser can end, other than with a
// FormState: pure helpers for components/forms/action-form.tsx.

import { NETWORK_ERROR_MESSAGE, type FormError } from "@/lib/form-state";

/** redirect() and notFound() reach the caller of a server action as errors whose digest starts with NEXT_. */
export function isNavigation(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && digest.startsWith("NEXT_");
}

/** Where a redirect() goes: its digest is `NEXT_REDIRECT;<type>;<url>;<status>;` (the url may hold `;`, as Next reads it). */
export function redirectTarget(error: unknown, base: string): URL | null {
  const parts = String((error as { digest?: unknown } | null)?.digest).split(";");
  const url = parts.slice(2, -2).join(";");
  return parts[0] === "NEXT_REDIRECT" && url && URL.canParse(url, base) ? new URL(url, base) : null;
}

/** A rejected fetch (offline, connection dropped) is a TypeError; anything else came back from a server in trouble. */
export function failure(error: unknown, online: boolean): FormError {
  if (error instanceof TypeError || !online) {
    return { code: "NETWORK", message: NETWORK_ERROR_MESSAGE };
  }
  return { code: "INTERNAL", message: "Something went wrong on our side. Please try again." };
}

/** The typed values, for a re-render: the fields keep them anyway (never reset); passwords stay out of state. */
export function typed(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of formData.entries()) {
    if (typeof value === "string" && !name.startsWith("$ACTION") && !/password/i.test(name)) values[name] = value;
  }
  return values;
}
