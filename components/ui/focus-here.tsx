"use client";

import { useEffect, useRef } from "react";

/**
 * Where a form's result is shown after its action redirected here: focus
 * lands on it, so a screen reader reads the outcome first. Without
 * JavaScript the autofocus attribute does it on page load; with it, a client
 * navigation mounts this and the effect does.
 */
export function FocusHere({ children, testId }: { children: React.ReactNode; testId?: string }) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => target.current?.focus(), []);
  return (
    <div ref={target} tabIndex={-1} autoFocus className="focus-target" data-testid={testId}>
      {children}
    </div>
  );
}
