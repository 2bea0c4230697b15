import { PASSWORD, expect, openMoreOptions, signInWithForm, test, uniqueEmail, uniquePhone } from "./support/fixtures";

test.describe("accounts", () => {
  test("sign up with an email lands on the profile with the email not yet verified", async ({ page, accounts }) => {
    const phone = uniquePhone();
    const email = uniqueEmail("signup");
    accounts.remember(phone);
    await page.goto("/signup");
    await page.getByLabel("Mobile number").fill(`+977 ${phone}`);
    await page.getByLabel("Full name").fill("Maya Tamang");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Email (optional)").fill(email.toUpperCase());
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Maya Tamang" })).toBeVisible();
    await expect(page.getByTestId("profile-phone")).toHaveText(phone);
    await expect(page.getByTestId("profile-email")).toContainText(email);
    await expect(page.getByTestId("email-state")).toHaveText("Not verified");
  });

  test("sign up shows each invalid field and creates nothing", async ({ page, request, accounts }) => {
    await page.goto("/signup");
    await page.getByLabel("Mobile number").fill("12345");
    await page.getByLabel("Full name").fill("M");
    await page.getByLabel("Password").fill("short");
    await page.getByLabel("Email (optional)").fill("not-an-email");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Enter a Nepali mobile number, e.g. 9810578899.")).toBeVisible();
    await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
    await expect(page.getByText("Enter a valid email address, e.g. name@example.com.")).toBeVisible();
    await expect(page.getByLabel("Full name")).toHaveValue("M");

    // With a valid number and the other fields still wrong, nothing is created
    // either: the number stays free for a correct signup.
    const phone = uniquePhone();
    accounts.remember(phone);
    await page.getByLabel("Mobile number").fill(phone);
    await page.getByRole("button", { name: "Create account" }).click();
    // The server's answer no longer faults the number, only the rest.
    await expect(page.getByText("Enter a Nepali mobile number, e.g. 9810578899.")).toHaveCount(0);
    await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
    const later = await request.post("/api/auth/signup", { data: { phone, fullName: "Maya Tamang", password: PASSWORD } });
    expect(later.status()).toBe(201);
  });

  test("a phone that already has an account is refused", async ({ page, user }) => {
    await page.goto("/signup");
    await page.getByLabel("Mobile number").fill(user.phone);
    await page.getByLabel("Full name").fill("Someone Else");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("An account with this mobile number already exists.")).toBeVisible();
  });

  test.describe("with a verified email", () => {
    test.use({ userOptions: { email: true, verified: true, fullName: "Bikash Rai" } });

    // The one test that signs in through the form; the others get their session from a fixture.
    test("sign in shows the profile; a verified email is shown as verified", async ({ page, user }) => {
      await signInWithForm(page, user);
      await expect(page.getByRole("heading", { name: "Bikash Rai" })).toBeVisible();
      await expect(page.getByTestId("profile-email")).toContainText(user.email!);
      await expect(page.getByTestId("email-state")).toHaveText("Verified");
    });
  });

  test("a profile without an email says so", async ({ signedInPage: page }) => {
    await expect(page.getByTestId("profile-email")).toContainText("No email added");
    await expect(page.getByTestId("email-state")).toHaveCount(0);
  });

  test("a wrong password says how many attempts are left", async ({ page, user }) => {
    await page.goto("/signin");
    await page.getByLabel("Mobile number").fill(user.phone);
    await page.getByLabel("Password").fill("wrong-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("sign-in-error")).toHaveText(/Wrong password\. 4 attempts left/);
    await expect(page.getByLabel("Mobile number")).toHaveValue(user.phone);
  });

  test("five wrong passwords lock the account, even for the right password", async ({ page, user }) => {
    await page.goto("/signin");
    await page.getByLabel("Mobile number").fill(user.phone);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await page.getByLabel("Password").fill(`wrong-password-${attempt}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("sign-in-error")).toHaveText(attempt < 5 ? new RegExp(`${5 - attempt} attempts? left`) : /locked/);
    }
    await expect(page.getByTestId("sign-in-error")).toHaveText(/try again in 15 minutes/);

    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("sign-in-error")).toHaveText(/locked; try again in 15 minutes/);
    await expect(page).toHaveURL(/\/signin/);
  });

  test("sign out ends the session", async ({ signedInPage: page }) => {
    await openMoreOptions(page);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/signin/);
    expect((await page.request.get("/api/account")).status()).toBe(401);
  });
});
