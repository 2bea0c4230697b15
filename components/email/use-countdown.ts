"use client";

import { useEffect, useState } from "react";

/** The current time, re-read every second so countdowns and expiries stay live. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Whole seconds from `now` until `target` (0 once reached, or when there is none). */
export function secondsUntil(target: string | null, now: number): number {
  return target ? Math.max(0, Math.ceil((Date.parse(target) - now) / 1000)) : 0;
}
