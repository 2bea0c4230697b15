import { describe, expect, it } from "vitest";
import { requestMeta } from "@/server/audit";

describe("requestMeta", () => {
  it("takes the client IP from the trusted proxy hop, never the first X-Forwarded-For entry", () => {
    const headers = new Headers({ "x-forwarded-for": "203.0.113.7, 198.51.100.9", "user-agent": "Wallet/1.0" });
    // One proxy: it appended the address it saw (198.51.100.9); 203.0.113.7 is whatever the client wrote.
    expect(requestMeta(headers, 1)).toEqual({ ip: "198.51.100.9", userAgent: "Wallet/1.0" });
    expect(requestMeta(headers, 2).ip).toBe("203.0.113.7");
  });

  it("reads Node's header record too (next-auth passes one); repeated headers are one list", () => {
    expect(requestMeta({ "x-forwarded-for": ["198.51.100.1", "198.51.100.2"], "user-agent": "curl/8" }, 1)).toEqual({
      ip: "198.51.100.2",
      userAgent: "curl/8",
    });
  });

  it("ignores X-Real-IP (any client can send it) and records nothing it cannot validate", () => {
    expect(requestMeta(new Headers({ "x-real-ip": "192.0.2.4" }), 0)).toEqual({ ip: null, userAgent: null });
    expect(requestMeta(new Headers({ "x-forwarded-for": "10.0.0.1, not-an-ip" }), 1).ip).toBeNull();
    expect(requestMeta({}, 0)).toEqual({ ip: null, userAgent: null });
  });

  it("bounds the user agent it stores", () => {
    expect(requestMeta(new Headers({ "user-agent": "x".repeat(5000) }), 0).userAgent).toHaveLength(512);
  });
});
