import { describe, expect, it } from "vitest";
import { isSameOrigin } from "@/server/http/same-origin";

const APP = "http://localhost:3000";
const post = (headers: Record<string, string>, url = `${APP}/api/account/email`) => new Request(url, { method: "POST", headers });

describe("isSameOrigin", () => {
  it("allows the app's own pages", () => {
    expect(isSameOrigin(post({ origin: APP, "sec-fetch-site": "same-origin" }), APP)).toBe(true);
  });

  it("allows clients that send neither Origin nor Sec-Fetch-Site (the mobile app, curl)", () => {
    expect(isSameOrigin(post({}), APP)).toBe(true);
  });

  it.each([
    ["another site", "https://evil.example"],
    ["another port", "http://localhost:3001"],
    ["another scheme", "https://localhost:3000"],
    ["a sandboxed frame or file (Origin: null)", "null"],
    ["a look-alike host", "http://localhost:3000.evil.example"],
  ])("refuses %s", (_name, origin) => {
    expect(isSameOrigin(post({ origin }), APP)).toBe(false);
  });

  it("refuses any request the browser marks cross-site, even with a matching or missing Origin", () => {
    expect(isSameOrigin(post({ origin: APP, "sec-fetch-site": "cross-site" }), APP)).toBe(false);
    expect(isSameOrigin(post({ "sec-fetch-site": "cross-site" }), APP)).toBe(false);
  });

  it("refuses a sibling subdomain (same-site is not same-origin)", () => {
    expect(isSameOrigin(post({ origin: "http://other.localhost:3000", "sec-fetch-site": "same-site" }), APP)).toBe(false);
  });

  it("allows the host the request was addressed to (the app reached as 127.0.0.1 rather than APP_URL)", () => {
    const request = post({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }, "http://127.0.0.1:3000/api/account/email");
    expect(isSameOrigin(request, APP)).toBe(true);
  });
});
