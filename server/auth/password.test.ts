import argon2 from "argon2";
import { describe, expect, it } from "vitest";
import { rules } from "@/lib/rules";
import { hashPassword, needsRehash } from "@/server/auth/password";

describe("needsRehash", () => {
  it("is false for a hash made with today's parameters", async () => {
    expect(needsRehash(await hashPassword("correct-horse-42"))).toBe(false);
  });

  it.each<[string, { memoryCost?: number; timeCost?: number; parallelism?: number; type?: 0 | 1 | 2 }]>([
    ["less memory", { memoryCost: 4096 }],
    ["fewer passes", { timeCost: 1 }],
    ["more lanes", { parallelism: 2 }],
    ["argon2i", { type: argon2.argon2i }],
  ])("is true for a hash with %s", async (_name, change) => {
    const hash = await argon2.hash("correct-horse-42", { type: argon2.argon2id, ...rules.passwordHashing, ...change });
    expect(needsRehash(hash)).toBe(true);
  });

  it("is true for anything that is not an argon2id hash", () => {
    expect(needsRehash("$2b$10$abcdefghijklmnopqrstuv")).toBe(true);
    expect(needsRehash("")).toBe(true);
  });
});
