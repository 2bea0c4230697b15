import { describe, expect, it } from "vitest";
import { failure, isNavigation, redirectTarget, typed } from "@/components/forms/submission";
import { NETWORK_ERROR_MESSAGE } from "@/lib/form-state";

const redirectError = (url: string) => Object.assign(new Error("NEXT_REDIRECT"), { digest: `NEXT_REDIRECT;push;${url};303;` });

describe("isNavigation", () => {
  it("recognises redirect() and notFound(), not other errors", () => {
    expect(isNavigation(redirectError("/profile"))).toBe(true);
    expect(isNavigation(Object.assign(new Error(), { digest: "NEXT_HTTP_ERROR_FALLBACK;404" }))).toBe(true);
    expect(isNavigation(new TypeError("Failed to fetch"))).toBe(false);
    expect(isNavigation(Object.assign(new Error(), { digest: "1234567" }))).toBe(false);
    expect(isNavigation(null)).toBe(false);
  });
});

describe("redirectTarget", () => {
  const base = "http://localhost:3000/profile/password";

  it("reads the target of a redirect, resolved against the page", () => {
    expect(redirectTarget(redirectError("/profile/password?changed=2"), base)?.pathname).toBe("/profile/password");
    expect(redirectTarget(redirectError("/profile/password?changed=2"), base)?.search).toBe("?changed=2");
  });

  it("keeps a ; inside the url, as Next does", () => {
    expect(redirectTarget(redirectError("/a;b?x=1"), base)?.pathname).toBe("/a;b");
  });

  it("is null for anything that is not a redirect", () => {
    expect(redirectTarget(Object.assign(new Error(), { digest: "NEXT_HTTP_ERROR_FALLBACK;404" }), base)).toBeNull();
    expect(redirectTarget(new TypeError("Failed to fetch"), base)).toBeNull();
    expect(redirectTarget(undefined, base)).toBeNull();
  });
});

describe("failure", () => {
  it("a fetch that never got an answer, or a browser that knows it is offline: the UC08 message", () => {
    expect(failure(new TypeError("Failed to fetch"), true)).toEqual({ code: "NETWORK", message: NETWORK_ERROR_MESSAGE });
    expect(failure(new Error("An unexpected response was received from the server."), false).code).toBe("NETWORK");
  });

  it("an answer the client could not use, online: the server's fault, not the connection's", () => {
    expect(failure(new Error("An unexpected response was received from the server."), true).code).toBe("INTERNAL");
  });
});

describe("typed", () => {
  it("keeps what was typed, except passwords and React's action fields", () => {
    const form = new FormData();
    form.set("phone", "9810578899");
    form.set("email", "a@example.com");
    form.set("password", "secret-1");
    form.set("currentPassword", "secret-2");
    form.set("newPassword", "secret-3");
    form.set("$ACTION_ID_abc", "");
    form.set("avatar", new Blob(["x"]));
    expect(typed(form)).toEqual({ phone: "9810578899", email: "a@example.com" });
  });
});
