import { expect, type Page } from "@playwright/test";

// What a person does on the pages, shared by several specs.

/** Signs in through the real form (most tests get a session from the signedInPage fixture instead). */
export async function signInWithForm(page: Page, user: { phone: string; password: string }) {
  await page.goto("/signin");
  await page.getByLabel("Mobile number").fill(user.phone);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
}

/** Opens the profile's "more options" menu (UC01): a <details> disclosure, so it opens with JavaScript off too. */
export async function openMoreOptions(page: Page) {
  await page.locator("summary", { hasText: "More options" }).click();
  await expect(page.locator("details.menu")).toHaveAttribute("open", "");
}

/** Opens "more options" on the profile, follows "Add email" or "Change email" and submits that page's form. */
export async function submitEmailForm(page: Page, options: { email: string; password: string; action?: "Add email" | "Change email" }) {
  await openMoreOptions(page);
  await page.getByRole("link", { name: options.action ?? "Add email" }).click();
  await expect(page).toHaveURL(/\/profile\/email$/);
  await page.getByLabel(/^(Email address|New email address)$/).fill(options.email);
  await page.getByLabel("Your password").fill(options.password);
  await page.getByRole("button", { name: /Send verification link|Start change/ }).click();
}

/** Opens a link as a person would and presses its Confirm button. */
export async function confirmLink(page: Page, link: string, button: RegExp = /Confirm|Yes, change/) {
  await page.goto(link);
  await page.getByRole("button", { name: button }).click();
  await expect(page.getByTestId("confirm-outcome")).toBeVisible();
}
