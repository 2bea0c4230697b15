"use client";

import { useEffect, useRef } from "react";

/**
 * UC01: the "more options" (⋯) menu of the profile. A <details> disclosure,
 * so it opens without JavaScript; its items are links to pages and forms
 * that post. With JavaScript: Escape closes it and returns focus to the
 * button, a click elsewhere closes it, and the arrow keys move between items.
 */
export function MoreOptionsMenu({ children }: { children: React.ReactNode }) {
  const details = useRef<HTMLDetailsElement>(null);
  const summary = useRef<HTMLElement>(null);

  useEffect(() => {
    const onPointer = (event: PointerEvent) => {
      if (details.current?.open && !details.current.contains(event.target as Node)) details.current.open = false;
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, []);

  function onKeyDown(event: React.KeyboardEvent<HTMLDetailsElement>) {
    const menu = details.current;
    if (!menu?.open) return;
    if (event.key === "Escape") {
      event.preventDefault();
      menu.open = false;
      summary.current?.focus();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const items = [...menu.querySelectorAll<HTMLElement>(".menu-list a, .menu-list button")];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const step = event.key === "ArrowDown" ? 1 : -1;
    items[(at + step + items.length) % items.length]?.focus();
  }

  return (
    <details className="menu" ref={details} onKeyDown={onKeyDown}>
      <summary className="menu-button" ref={summary} data-testid="more-options">
        <span aria-hidden="true">⋯</span>
        <span className="visually-hidden">More options</span>
      </summary>
      <ul className="menu-list">{children}</ul>
    </details>
  );
}
