import { describe, expect, it } from "vitest";
import { assertLocalDatabaseUrl } from "./test-database";

describe("assertLocalDatabaseUrl", () => {
  it.each([
    "postgresql://postgres:postgres@127.0.0.1:54400/wt_tests",
    "postgresql://postgres@localhost/app_test",
    "postgres://u:p@LOCALHOST:5432/x",
    "postgresql://u:p@[::1]:5432/x",
    "postgresql://u@localhost/x?host=/var/run/postgresql",
  ])("accepts a local server: %s", (url) => {
    expect(() => assertLocalDatabaseUrl(url)).not.toThrow();
  });

  it.each([
    ["a remote host", "postgresql://u:p@db.example.com:5432/prod", "db.example.com"],
    ["a LAN address", "postgresql://u:p@10.0.0.5/app", "10.0.0.5"],
    ["a look-alike", "postgresql://u:p@localhost.evil.example/app", "localhost.evil.example"],
    ["a local URL redirected by ?host=", "postgresql://u:p@127.0.0.1/app?host=db.example.com", "db.example.com"],
  ])("refuses %s, in one sentence naming the host", (_name, url, host) => {
    expect(() => assertLocalDatabaseUrl(url)).toThrow(
      new RegExp(`^Tests refuse to run against DATABASE_URL host "${host.replace(/\./g, "\\.")}": .*\\.$`),
    );
  });

  it("refuses what is not a URL", () => {
    expect(() => assertLocalDatabaseUrl("host=db.example.com dbname=prod")).toThrow(/not a valid URL/);
  });
});
