import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

// Issue 12, item 5: every page in every state passes axe's WCAG 2.1 A and AA
// rules with no violation of serious or critical impact.

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const BLOCKING = new Set(["serious", "critical"]);

/**
 * Runs axe on the page as it is now. A soft assertion, so one run lists every
 * state that fails; the message names the state (never the URL, which may
 * hold a link's token) and each violation's rule, elements and help.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const blocking = violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ""))
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} [${violation.nodes.map((node) => node.target.join(" ")).join(", ")}]`,
    );
  expect.soft(blocking, `axe on ${state}`).toEqual([]);
}
