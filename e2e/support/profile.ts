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

/** Opens "more options" on the profile and submits the add/change form. */
export async function submitEmailForm(page: Page, options: { email: string; password: string; action?: "Add email" | "Change email" }) {
  await page.getByRole("button", { name: "More options" }).click();
  await page.getByRole("menuitem", { name: options.action ?? "Add email" }).click();
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
