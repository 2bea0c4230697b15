import type { Page } from "@playwright/test";
import { PASSWORD, expect, openMoreOptions, test, uniqueEmail, uniquePhone } from "./support/fixtures";

// Issue 12: forms first, JavaScript second. Every account form is a real
// POST that works with JavaScript off (the action answers 303 to the page
// with the result, or renders the form again with the error and the typed
// values), and with it on does the same in place: pending state, no double
// submit, the UC08 offline message with the input kept.

/** Every URL the page asks for (navigations, fetches, the actions' POSTs), to prove a password never lands in one. */
function recordUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (request) => urls.push(request.url()));
  return urls;
}

function expectNoSecretIn(urls: string[], page: Page, secret: string) {
  expect(page.url()).not.toContain(secret);
  expect(urls.length).toBeGreaterThan(0);
  for (const url of urls) expect(url).not.toContain(encodeURIComponent(secret).slice(0, 12));
}

test.describe("with JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("sign up creates the account and lands on the profile", async ({ page, accounts }) => {
    const phone = uniquePhone();
    accounts.remember(phone);
    const urls = recordUrls(page);
    await page.goto("/signup");
    await page.getByLabel("Mobile number").fill(phone);
    await page.getByLabel("Full name").fill("Nirmala Thapa");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByRole("heading", { name: "Nirmala Thapa" })).toBeVisible();
    expectNoSecretIn(urls, page, PASSWORD);
  });

  test("sign up with bad input shows each field's message and keeps what was typed", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel("Mobile number").fill("12345");
    await page.getByLabel("Full name").fill("Maya Tamang");
    await page.getByLabel("Password").fill("short");
    await page.getByLabel("Email (optional)").fill("not-an-email");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Enter a Nepali mobile number, e.g. 9810578899.")).toBeVisible();
    await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
    await expect(page.getByLabel("Mobile number")).toHaveValue("12345");
    await expect(page.getByLabel("Mobile number")).toBeFocused();
    await expect(page.getByLabel("Full name")).toHaveValue("Maya Tamang");
    await expect(page.getByLabel("Email (optional)")).toHaveValue("not-an-email");
    // A password is never sent back into the page.
    await expect(page.getByLabel("Password")).toHaveValue("");
  });

  test("a wrong password says so, keeps the phone and never puts the password in a URL; the right one signs in", async ({ page, user }) => {
    const urls = recordUrls(page);
    await page.goto("/signin?callbackUrl=/profile/password");
    expect(await page.locator("form").evaluateAll((forms) => forms.map((form) => (form as HTMLFormElement).method))).toEqual(["post"]);
    await page.getByLabel("Mobile number").fill(user.phone);
    await page.getByLabel("Password").fill("wrong-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("sign-in-error")).toHaveText(/Wrong password\. 4 attempts left/);
    await expect(page.locator(".form-summary")).toBeFocused();
    await expect(page.getByLabel("Mobile number")).toHaveValue(user.phone);
    expectNoSecretIn(urls, page, "wrong-password-1");

    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/profile\/password$/);
    await expect(page.getByRole("heading", { name: "Change password" })).toBeVisible();
    expectNoSecretIn(urls, page, user.password);
  });

  test("the more options menu opens and leads to the email page; adding an email shows the pending request", async ({
    signedInPage: page,
  }) => {
    await openMoreOptions(page);
    await expect(page.getByRole("link", { name: "Change password" }).first()).toBeVisible();
    await page.getByRole("link", { name: "Add email" }).click();
    await expect(page).toHaveURL(/\/profile\/email$/);

    const email = uniqueEmail("nojs");
    await page.getByLabel("Email address", { exact: true }).fill(email);
    await page.getByLabel("Your password").fill("wrong-password-1");
    await page.getByRole("button", { name: "Send verification link" }).click();
    await expect(page.getByTestId("email-form-error")).toHaveText(/Wrong password\. 4 attempts left/);
    await expect(page.getByLabel("Email address", { exact: true })).toHaveValue(email);

    await page.getByLabel("Your password").fill(PASSWORD);
    await page.getByRole("button", { name: "Send verification link" }).click();
    await expect(page).toHaveURL(/\/profile\?requested=1$/);
    await expect(page.getByTestId("pending-request")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Verify your email" })).toBeVisible();
    // Focus is on the result: the request the form started.
    await expect(page.locator(".focus-target")).toBeFocused();
  });

  test("change password reports the result on its page", async ({ signedInPage: page, user }) => {
    await page.goto("/profile/password");
    await page.getByLabel("Current password").fill("wrong-password-1");
    await page.getByLabel("New password").fill("another-horse-43");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByTestId("password-form-error")).toHaveText(/Wrong password/);

    await page.getByLabel("Current password").fill(user.password);
    await page.getByLabel("New password").fill("another-horse-43");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByTestId("password-changed")).toHaveText(/Your password was changed/);
    await expect(page.locator(".focus-target")).toBeFocused();
    expect(page.url()).not.toContain("horse");
  });

  test("sign out ends the session", async ({ signedInPage: page }) => {
    await openMoreOptions(page);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/signin/);
    expect((await page.request.get("/api/account")).status()).toBe(401);
  });

  test("sign out everywhere ends this session and the other device's", async ({ signedInPage: page, user, browser, signIn }) => {
    const other = await browser.newContext();
    await signIn(other, user);
    expect((await other.request.get("/api/account")).status()).toBe(200);

    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/signin$/);
    expect((await page.request.get("/api/account")).status()).toBe(401);
    expect((await other.request.get("/api/account")).status()).toBe(401);
    await other.close();
  });

  test("delete account asks for the password, then erases the account and signs out", async ({ signedInPage: page, user }) => {
    await page.getByRole("link", { name: "Delete account" }).click();
    await expect(page).toHaveURL(/\/profile\/delete$/);
    await page.getByLabel("Your password").fill("wrong-password-1");
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page.getByTestId("delete-form-error")).toHaveText(/Wrong password/);

    await page.getByLabel("Your password").fill(user.password);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/signup$/);
    expect((await page.request.get("/api/account")).status()).toBe(401);
  });
});

test.describe("with JavaScript on", () => {
  /** A mark on the window that a full page load would wipe. */
  async function markDocument(page: Page) {
    await page.evaluate(() => ((window as unknown as { formsMark: number }).formsMark = 1));
  }
  const stillSameDocument = (page: Page) => page.evaluate(() => (window as unknown as { formsMark?: number }).formsMark === 1);

  test("a wrong password answers in place, with focus on the message; the right one navigates without a reload", async ({ page, user }) => {
    const urls = recordUrls(page);
    await page.goto("/signin");
    await markDocument(page);
    await page.getByLabel("Mobile number").fill(user.phone);
    await page.getByLabel("Password").fill("wrong-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("sign-in-error")).toHaveText(/Wrong password\. 4 attempts left/);
    await expect(page.locator(".form-summary")).toBeFocused();
    await expect(page.getByLabel("Mobile number")).toHaveValue(user.phone);
    expect(await stillSameDocument(page)).toBe(true);

    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
    await expect(page).toHaveURL(/\/profile$/);
    expect(await stillSameDocument(page)).toBe(true);
    expectNoSecretIn(urls, page, user.password);
  });

  test("the menu: arrow keys move between its items, Escape closes it and returns focus to its button", async ({ signedInPage: page }) => {
    await openMoreOptions(page);
    await page.getByRole("link", { name: "Add email" }).focus();
    await page.keyboard.press("ArrowDown");
    await expect(page.getByRole("link", { name: "Change password" }).first()).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(page.locator("details.menu")).not.toHaveAttribute("open");
    await expect(page.locator("summary", { hasText: "More options" })).toBeFocused();
  });

  test("field errors move focus to the first field in error", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel("Full name").fill("Maya Tamang");
    await page.getByLabel("Mobile number").fill("12345");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Enter a Nepali mobile number, e.g. 9810578899.")).toBeVisible();
    await expect(page.getByLabel("Mobile number")).toBeFocused();
    await expect(page.getByLabel("Full name")).toHaveValue("Maya Tamang");
  });

  test("offline: the form says to check the connection and keeps what was typed; back online it goes through once", async ({
    signedInPage: page,
    context,
  }) => {
    await page.goto("/profile/email");
    const email = uniqueEmail("offline");
    await page.getByLabel("Email address", { exact: true }).fill(email);
    await page.getByLabel("Your password").fill(PASSWORD);

    await context.setOffline(true);
    await page.getByRole("button", { name: "Send verification link" }).click();
    await expect(page.getByTestId("email-form-error")).toHaveText("We could not reach the server. Check your connection and try again.");
    await expect(page.getByLabel("Email address", { exact: true })).toHaveValue(email);
    await expect(page.getByLabel("Your password")).toHaveValue(PASSWORD);
    await expect(page.getByRole("button", { name: "Send verification link" })).toBeEnabled();

    await context.setOffline(false);
    await page.getByRole("button", { name: "Send verification link" }).click();
    await expect(page).toHaveURL(/\/profile\?requested=1$/);
    await expect(page.getByTestId("pending-status")).toBeVisible();
    await expect(page.locator(".focus-target")).toBeFocused();
  });

  test("a double click submits once and shows the pending state", async ({ signedInPage: page }) => {
    await page.goto("/profile/email");
    await page.getByLabel("Email address", { exact: true }).fill(uniqueEmail("double"));
    await page.getByLabel("Your password").fill(PASSWORD);
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && request.headers()["next-action"]) posts.push(request.url());
    });
    // Hold the answer back so the second click lands while the first is in flight.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/profile/email", async (route) => {
      if (route.request().method() === "POST") await held;
      await route.continue();
    });
    const button = page.getByRole("button", { name: "Send verification link" });
    await button.click();
    await expect(page.getByRole("button", { name: "Sending…" })).toBeDisabled();
    await page.getByRole("button", { name: "Sending…" }).click({ force: true });
    await page.locator("form").evaluate((form: HTMLFormElement) => form.requestSubmit());
    release();
    await expect(page).toHaveURL(/\/profile\?requested=1$/);
    await expect(page.getByTestId("pending-request")).toBeVisible();
    expect(posts).toHaveLength(1);
  });
});
