import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// Issue 12, item 5: every page in every state passes axe's WCAG 2.1 A and AA
// rules with no violation of serious or critical impact.

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const BLOCKING = new Set(["serious", "critical"]);

/**
 * Runs axe on the page as it is now. A soft assertion, so one run lists every
 * state that fails; the message names the state (never the URL, which may
 * hold a link's token) and each violation's rule, elements and help.
 *
 * axe needs scripts (it runs on promises and timers), which a page opened with
 * JavaScript off cannot run: for such a page (`javaScriptEnabled: false`) it
 * audits a copy, the same document without its scripts served at the same
 * address to a page that can run axe, so the app's styles and fonts apply.
 */
export async function expectAccessible(page: Page, state: string, options: { javaScriptEnabled?: boolean } = {}): Promise<void> {
  // After a client-side navigation Next streams the page's metadata (its <title>)
  // after the content: audit the page once it has its title, as a reader gets it.
  if (options.javaScriptEnabled !== false) await expect(page, `${state} has its title`).toHaveTitle(/\S/);
  const target = options.javaScriptEnabled === false ? await copyWithoutScripts(page) : page;
  try {
    const { violations, passes } = await new AxeBuilder({ page: target }).withTags(TAGS).analyze();
    // Proof that axe looked at a real page (an empty or unstyled copy passes everything).
    expect(passes.length, `axe ran on ${state}`).toBeGreaterThan(5);
    const blocking = violations
      .filter((violation) => BLOCKING.has(violation.impact ?? ""))
      .map(
        (violation) =>
          `${violation.id} (${violation.impact}): ${violation.help} [${violation.nodes.map((node) => node.target.join(" ")).join(", ")}]`,
      );
    expect.soft(blocking, `axe on ${state}`).toEqual([]);
    // The lesser findings do not fail the test; they are kept in its report for whoever works on the pages next.
    const lesser = violations.filter((violation) => !BLOCKING.has(violation.impact ?? ""));
    if (lesser.length > 0) {
      test.info().annotations.push({
        type: "axe (moderate or minor)",
        description: `${state}: ${lesser.map((violation) => `${violation.id} (${violation.impact}, ${violation.nodes.length})`).join(", ")}`,
      });
    }
  } finally {
    if (target !== page) await target.context().close();
  }
}

async function copyWithoutScripts(page: Page): Promise<Page> {
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");
  const url = page.url();
  // javaScriptEnabled explicitly: Playwright Test gives new contexts the test's options, JavaScript off included.
  const context = await page.context().browser()!.newContext({ viewport: page.viewportSize(), javaScriptEnabled: true });
  const copy = await context.newPage();
  await copy.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
  await copy.goto(url);
  return copy;
}
