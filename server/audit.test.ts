import { describe, expect, it } from "vitest";
import { requestMeta } from "@/server/audit";

describe("requestMeta", () => {
  it("reads the client IP and user agent from a fetch Headers object", () => {
    const headers = new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1", "user-agent": "Wallet/1.0" });
    expect(requestMeta(headers)).toEqual({ ip: "203.0.113.7", userAgent: "Wallet/1.0" });
  });

  it("reads Node's header record too (next-auth passes one), taking the first of repeated headers", () => {
    expect(requestMeta({ "x-forwarded-for": ["198.51.100.1", "198.51.100.2"], "user-agent": "curl/8" })).toEqual({
      ip: "198.51.100.1",
      userAgent: "curl/8",
    });
  });

  it("falls back to X-Real-IP, then to nothing", () => {
    expect(requestMeta(new Headers({ "x-real-ip": "192.0.2.4" }))).toEqual({ ip: "192.0.2.4", userAgent: null });
    expect(requestMeta(new Headers({ "x-forwarded-for": " , 10.0.0.1", "x-real-ip": "192.0.2.4" })).ip).toBe("192.0.2.4");
    expect(requestMeta({})).toEqual({ ip: null, userAgent: null });
  });

  it("bounds the user agent it stores", () => {
    expect(requestMeta(new Headers({ "user-agent": "x".repeat(5000) })).userAgent).toHaveLength(512);
  });
});
