import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Before hydration, or with JavaScript off, a form submits itself: without
// method="post" that is a GET, and the password lands in the URL (history,
// proxies, server logs). Every form here takes a password or personal data.

const ROOT = path.resolve(import.meta.dirname, "..");
const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : full.endsWith(".tsx") ? [full] : [];
  });

const forms = files(ROOT).flatMap((file) =>
  [...fs.readFileSync(file, "utf8").matchAll(/<form\b[^>]*>/g)].map(([tag]) => ({ file: path.relative(ROOT, file), tag })),
);

// The app's forms are ActionForm (action-form.tsx): one <form> tag, used by each of them.
const actionForms = files(ROOT).filter((file) => /<ActionForm\b/.test(fs.readFileSync(file, "utf8")));

describe("forms", () => {
  it("finds the forms it checks", () => {
    expect(forms.length).toBeGreaterThanOrEqual(1);
    expect(actionForms.length).toBeGreaterThanOrEqual(6);
  });

  it("builds every ActionForm on one form bound to useActionState's dispatcher of a server action (React renders it as POST)", () => {
    const source = fs.readFileSync(path.join(ROOT, "forms", "action-form.tsx"), "utf8");
    expect(source).toMatch(/const \[serverState, formAction\] = useActionState\(action, /);
    expect(forms.filter(({ file }) => file === path.join("forms", "action-form.tsx"))).toEqual([
      expect.objectContaining({ tag: expect.stringContaining("action={formAction}") }),
    ]);
  });

  it.each(forms)("$file posts (a fallback submit never puts fields in the URL)", ({ tag }) => {
    // A form bound to a server action is rendered by React with method="POST" (and React warns about an explicit method).
    expect(tag.includes('method="post"') || tag.includes("action={formAction}")).toBe(true);
  });
});
