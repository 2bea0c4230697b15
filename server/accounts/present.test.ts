import { describe, expect, it } from "vitest";
import { userView } from "@/lib/api";
import { presentUser } from "@/server/accounts/present";

const user = {
  id: "0c6b1c83-3b59-4a41-9d0e-3c3b9d1a7e22",
  phone: "+9779810578899",
  fullName: "Sita Sharma",
  email: "sita@example.com",
  emailVerifiedAt: new Date("2026-11-23T10:00:00Z"),
};

describe("presentUser", () => {
  it("is the API's user shape, and nothing more (no hash, no lock state)", () => {
    const view = presentUser({ ...user, passwordHash: "$argon2id$secret", failedPasswordCount: 3 } as typeof user);
    expect(view).toEqual({ id: user.id, phone: user.phone, fullName: "Sita Sharma", email: "sita@example.com", emailVerified: true });
    expect(userView.parse(view)).toEqual(view);
  });

  it("an unverified address is shown as not verified", () => {
    expect(presentUser({ ...user, emailVerifiedAt: null })).toMatchObject({ email: "sita@example.com", emailVerified: false });
  });

  it("no address is never verified, whatever the timestamp says", () => {
    expect(presentUser({ ...user, email: null })).toMatchObject({ email: null, emailVerified: false });
  });
});
