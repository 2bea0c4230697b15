"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

// While a request is pending, its links may be confirmed on another device:
// the profile re-renders from the server every few seconds so it shows the
// true state. Without JavaScript a reload does the same.
const POLL_MS = 3000;

export function RefreshWhilePending({ active }: { active: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [active, router]);
  return null;
}
