"use client";

import { useCallback, useRef, useState } from "react";

/**
 * Runs one submission at a time (UC08: never double-submit). The ref closes
 * the gap between a second click and React re-rendering the disabled button.
 */
export function useSubmit() {
  const inFlight = useRef(false);
  const [pending, setPending] = useState(false);

  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    if (inFlight.current) return undefined;
    inFlight.current = true;
    setPending(true);
    try {
      return await action();
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }, []);

  return { pending, run };
}
