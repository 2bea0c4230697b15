import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { sql } from "./database";

export const PASSWORD = "correct-horse-42";

/** A fresh, valid Nepali mobile number per call, so tests never share accounts. */
export function uniquePhone(): string {
  return `98${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

export function uniqueEmail(label = "user"): string {
  return `${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}@example.test`;
}

export type TestUser = { phone: string; password: string; fullName: string; email: string | null };

export async function createUser(
  request: APIRequestContext,
  options: { email?: string | null; verified?: boolean; fullName?: string } = {},
): Promise<TestUser> {
  const user = { phone: uniquePhone(), password: PASSWORD, fullName: options.fullName ?? "Asha Gurung", email: options.email ?? null };
  const response = await request.post("/api/auth/signup", { data: { ...user, email: user.email ?? undefined } });
  expect(response.status(), await response.text()).toBe(201);
  if (options.verified) {
    // As if the signup link had been confirmed (its own flow is tested elsewhere).
    await sql(`UPDATE users SET email_verified_at = now() WHERE phone = $1`, [`+977${user.phone}`]);
    await sql(
      `UPDATE email_requests SET status = 'completed', current_hop = NULL, closed_at = now()
       WHERE user_id = (SELECT id FROM users WHERE phone = $1) AND status = 'pending'`,
      [`+977${user.phone}`],
    );
  }
  return user;
}

export async function signIn(page: Page, user: { phone: string; password: string }) {
  await page.goto("/signin");
  await page.getByLabel("Mobile number").fill(user.phone);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
}
