import type { Locator, Page } from "@playwright/test";
import { PASSWORD, expect, test, uniqueEmail } from "./support/fixtures";

// Issue 12, item 5: the main flows with the keyboard alone (Tab, Shift+Tab,
// Enter, Space, Escape; no click anywhere). At each step the spec checks
// where focus is, that the focused control shows a focus indicator, and that
// after a submit focus lands on the result or on the first error.

/** Presses Tab until `target` has focus (at most `max` times), as a person would walk the page. */
async function tabTo(page: Page, target: Locator, max = 25) {
  for (let presses = 0; presses < max; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) break;
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
  await expectFocusIndicator(page);
}

/** The focused element matches :focus-visible and draws something for it: an outline or a box-shadow. */
async function expectFocusIndicator(page: Page) {
  const indicator = await page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { focusVisible: false, outline: "none", boxShadow: "none" };
    const style = getComputedStyle(element);
    const outline = style.outlineStyle === "none" || parseFloat(style.outlineWidth) === 0 ? "none" : `${style.outlineStyle}`;
    return { focusVisible: element.matches(":focus-visible"), outline, boxShadow: style.boxShadow };
  });
  expect(indicator.focusVisible, "the focused element matches :focus-visible").toBe(true);
  expect(indicator.outline !== "none" || indicator.boxShadow !== "none", `a focus indicator (${JSON.stringify(indicator)})`).toBe(true);
}

test.describe("keyboard only", () => {
  test("sign in, add an email from more options, watch the countdown, resend after it, sign out", async ({ db, page, user }) => {
    await page.goto("/signin");
    await expect(page.getByRole("heading", { name: "Sign in", level: 1 })).toBeVisible();

    // The first Tab reaches the skip link; following it lands in the main content.
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await expectFocusIndicator(page);

    // Sign in: a wrong password first, whose answer takes focus, then the right one.
    const phone = page.getByLabel("Mobile number");
    const password = page.getByLabel("Password");
    await tabTo(page, phone);
    await page.keyboard.type(user.phone);
    await page.keyboard.press("Tab");
    await expect(password).toBeFocused();
    await page.keyboard.type("wrong-password-1");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("sign-in-error")).toHaveText(/Wrong password/);
    await expect(page.locator(".form-summary")).toBeFocused();
    await tabTo(page, password);
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type(user.password);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "Profile", level: 1 })).toBeVisible();

    // More options: Enter opens it, Escape closes it and gives focus back, Space opens it again.
    const menuButton = page.locator("summary", { hasText: "More options" });
    const menu = page.locator("details.menu");
    await tabTo(page, menuButton);
    await page.keyboard.press("Enter");
    await expect(menu).toHaveAttribute("open", "");
    await page.keyboard.press("Escape");
    await expect(menu).not.toHaveAttribute("open");
    await expect(menuButton).toBeFocused();
    await page.keyboard.press("Space");
    await expect(menu).toHaveAttribute("open", "");
    await page.keyboard.press("Tab");
    const addEmail = page.getByRole("link", { name: "Add email" });
    await expect(addEmail).toBeFocused();
    await expectFocusIndicator(page);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/profile\/email$/);

    // The email form: a field error takes focus to that field; a refusal to the summary; success to the request.
    const emailField = page.getByLabel("Email address", { exact: true });
    const passwordField = page.getByLabel("Your password");
    await tabTo(page, emailField);
    await page.keyboard.type("not-an-email");
    await page.keyboard.press("Tab");
    await expect(passwordField).toBeFocused();
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await expect(emailField).toHaveAttribute("aria-invalid", "true");
    await expect(emailField).toBeFocused();

    const email = uniqueEmail("keyboard");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type(email);
    await page.keyboard.press("Tab");
    await expect(passwordField).toBeFocused();
    await page.keyboard.type("wrong-password-1");
    await tabTo(page, page.getByRole("button", { name: "Send verification link" }));
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("email-form-error")).toHaveText(/Wrong password/);
    await expect(page.locator(".form-summary")).toBeFocused();

    await tabTo(page, passwordField);
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/profile\?requested=1$/);
    await expect(page.getByTestId("pending-request")).toBeVisible();
    await expect(page.locator(".focus-target")).toBeFocused();

    // The countdown: a polite live region whose text does not change while the button counts down. Wait
    // until the link went out first: the sending sets the cooldown's end, the one change the region makes
    // before resending is possible.
    const cooldown = page.getByTestId("resend-cooldown");
    const resend = page.getByTestId("resend");
    await expect(page.getByTestId("pending-status")).toContainText("We sent a verification link");
    await expect(cooldown).toHaveAttribute("aria-live", "polite");
    await expect(cooldown).toContainText(/from \d\d:\d\d:\d\d/);
    await expect(resend).toHaveText(/Resend in \d+ s/);
    type Recorder = { liveRegion: Element; liveRegionText: string | null; liveRegionChanges: number };
    await cooldown.evaluate((region) => {
      const recorder = window as unknown as Recorder;
      Object.assign(recorder, { liveRegion: region, liveRegionText: region.textContent, liveRegionChanges: 0 });
      const options = { subtree: true, childList: true, characterData: true, attributes: true };
      new MutationObserver((records) => (recorder.liveRegionChanges += records.length)).observe(region, options);
    });
    const secondsLeft = async () => Number((await resend.textContent())?.match(/\d+/)?.[0] ?? 0);
    const start = await secondsLeft();
    // Two ticks of the button's countdown (at least 2 s)…
    await expect.poll(secondsLeft, { message: "the button counts down" }).toBeLessThanOrEqual(start - 2);
    // …and the live region (the same element, still in the page) said nothing new meanwhile.
    const region = await page.evaluate(() => {
      const recorder = window as unknown as Recorder;
      return {
        connected: recorder.liveRegion.isConnected,
        changes: recorder.liveRegionChanges,
        same: recorder.liveRegion.textContent === recorder.liveRegionText,
      };
    });
    expect(region).toEqual({ connected: true, changes: 0, same: true });

    // To the resend page by its link; once the cooldown is over (moved in the database) the region says so.
    await tabTo(page, page.getByTestId("resend-page-link"));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "Your email link", level: 1 })).toBeVisible();
    await expect(page.getByTestId("resend")).toBeDisabled();
    await db.sql(`UPDATE email_requests SET last_sent_at = now() - interval '61 seconds' WHERE new_email = $1 AND status = 'pending'`, [
      email,
    ]);
    await page.reload();
    await expect(page.getByTestId("resend-cooldown")).toHaveText("You can ask for a new email now.");
    await tabTo(page, page.getByTestId("resend"));
    await page.keyboard.press("Space");
    await expect(page.getByTestId("resend-page-notice")).toContainText("A new link is on its way");
    await expect(page.locator(".focus-target")).toBeFocused();

    // Back to the profile and sign out from more options.
    await tabTo(page, page.getByRole("link", { name: "Back to your profile" }));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "Profile", level: 1 })).toBeVisible();
    await tabTo(page, menuButton);
    await page.keyboard.press("Enter");
    await expect(menu).toHaveAttribute("open", "");
    await tabTo(page, page.getByRole("button", { name: "Sign out", exact: true }));
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/signin$/);
    await expect(page.getByRole("heading", { name: "Sign in", level: 1 })).toBeVisible();
  });

  test("sign-up errors: focus lands on the first field in error", async ({ page }) => {
    await page.goto("/signup");
    await tabTo(page, page.getByLabel("Mobile number"));
    await page.keyboard.type("12345");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Full name")).toBeFocused();
    await page.keyboard.type("Maya Tamang");
    await page.keyboard.press("Tab");
    await page.keyboard.type("short");
    await page.keyboard.press("Enter");
    await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
    await expect(page.getByLabel("Mobile number")).toBeFocused();
    await expect(page.getByLabel("Mobile number")).toHaveAttribute("aria-describedby", /error/);
  });
});
