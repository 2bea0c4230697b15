"use client";

import { signOut } from "next-auth/react";

export function SignOutButton({ className }: { className?: string }) {
  return (
    <button type="button" role="menuitem" className={className} onClick={() => signOut({ callbackUrl: "/signin" })}>
      Sign out
    </button>
  );
}
