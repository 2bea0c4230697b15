// Helpers for the template tests (emails/*.test.tsx); not used at runtime.
import { expect } from "vitest";
import type { RenderedEmail } from "./render";

/** Decodes the few entities React and html-to-text produce. */
export function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Every href in the HTML part, decoded. */
export function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => decodeEntities(m[1] ?? ""));
}

export function count(haystack: string, needle: string): number {
  return needle ? haystack.split(needle).length - 1 : 0;
}

/** Email-looking strings (masked ones included), lower-cased. */
export function addressesIn(value: string): string[] {
  return [...value.matchAll(/[^\s<>()"'=:;,]+@[a-z0-9.-]+\.[a-z]{2,}/gi)].map((m) => m[0].toLowerCase());
}

/** The text part is for people: no tags, no entities, no CSS, no empty-line runs. */
export function expectReadableText(text: string): void {
  expect(text).not.toMatch(/<\/?[a-z!][^>]*>/i);
  expect(text).not.toMatch(/&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i);
  expect(text).not.toMatch(/style=|font-size|mso-|\{|\}/);
  expect(text).not.toMatch(/\n{3,}/);
  expect(text.trim().length).toBeGreaterThan(80);
}

/**
 * A one-time link must appear as given (as the button's and the raw link's
 * href and text in HTML, once in the text part) and its token must appear
 * nowhere else: not in the preview line, the title or the prose.
 */
export function expectLinkOnlyWhereExpected(rendered: RenderedEmail, url: string, token: string): void {
  const anchors = [...rendered.html.matchAll(/<a\b[^>]*>[\s\S]*?<\/a>/g)].map((m) => m[0]);
  const linking = anchors.filter((a) => hrefs(a).includes(url));
  expect(linking).toHaveLength(2); // the button and the raw link
  expect(linking.some((a) => decodeEntities(a.replace(/<[^>]*>/g, "")).includes(url))).toBe(true);
  const outsideLinks = anchors.reduce((html, a) => html.replace(a, ""), rendered.html);
  expect(outsideLinks).not.toContain(token);

  expect(count(rendered.text, url)).toBe(1);
  expect(count(rendered.text, token)).toBe(1);
}

/** Sample values must never leak into a real email (no defaults, no hard-coded examples). */
export function expectNoPreviewValues(rendered: RenderedEmail, previewProps: object, props: object): void {
  const given = new Set(Object.values(props).map(String));
  for (const value of Object.values(previewProps).map(String)) {
    if (given.has(value)) continue;
    expect(rendered.html).not.toContain(value);
    expect(rendered.text).not.toContain(value);
  }
}

/** Text a person typed (a payment's note) is shown as text: escaped in HTML, verbatim in the text part. */
export function expectTypedTextShownAsText(rendered: RenderedEmail, typed: string): void {
  expect(rendered.html).not.toContain(typed);
  expect(rendered.html).not.toMatch(/<script/i);
  expect(decodeEntities(rendered.html)).toContain(typed);
  expect(rendered.text).toContain(typed);
}
