import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { paymentRules } from "@/lib/rules";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { getWallet } from "@/server/wallet/get-wallet";
import { ledgerViolations } from "@/server/wallet/invariants";
import { payNow } from "@/server/wallet/pay-now";
import { topUp } from "@/server/wallet/top-up";
import { executeTransfer } from "@/server/wallet/transfer";
import { createUser, type TestUser } from "@/tests/support/factories";

const walletOf = (userId: string) => db.wallet.findUniqueOrThrow({ where: { userId } });
const balanceOf = async (userId: string) => Number((await walletOf(userId)).balance);
const entriesWithKey = (key: string) => db.ledgerEntry.count({ where: { idempotencyKey: key } });

async function funded(paisa: number): Promise<TestUser> {
  const user = await createUser();
  if (paisa > 0) await topUp({ userId: user.id, amount: paisa });
  return user;
}

async function transfer(payer: TestUser, recipient: TestUser, amount: number, options: { key?: string; at?: Date } = {}) {
  const wallet = await walletOf(recipient.id);
  return executeTransfer({
    payerId: payer.id,
    recipientWalletId: wallet.id,
    amount,
    note: null,
    kind: "transfer",
    idempotencyKey: options.key ?? randomUUID(),
    at: options.at ?? new Date(),
  });
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? error.code : String(error);
  }
  throw new Error("expected a failure");
}

describe("wallets", () => {
  it("every account gets a wallet with a zero balance in NPR, whatever created it", async () => {
    const user = await createUser();
    expect(await getWallet(user.id)).toEqual({ wallet: { balance: 0, currency: "NPR" }, entries: [] });
  });

  it("a top-up is one entry whose postings sum to zero; the wallet shows it", async () => {
    const user = await funded(5_000_00);
    const view = await getWallet(user.id);
    expect(view.wallet.balance).toBe(5_000_00);
    expect(view.entries).toEqual([expect.objectContaining({ kind: "top_up", amount: 5_000_00, counterparty: null })]);
    const postings = await db.ledgerPosting.findMany({ where: { entryId: view.entries[0]!.id } });
    expect(postings.reduce((sum, posting) => sum + posting.amount, 0n)).toBe(0n);
  });
});

describe("transfers", () => {
  it("move money from payer to recipient, shown from each side with the other's masked number", async () => {
    const payer = await funded(1_000_00);
    const recipient = await createUser({ fullName: "Ram Thapa" });
    await transfer(payer, recipient, 250_00);
    expect(await balanceOf(payer.id)).toBe(750_00);
    expect(await balanceOf(recipient.id)).toBe(250_00);
    const [sent] = (await getWallet(payer.id)).entries;
    expect(sent).toMatchObject({ kind: "transfer", amount: -250_00, counterparty: { name: "Ram Thapa" } });
    expect(sent!.counterparty!.phone).toMatch(/^9\d\*+\d\d$/);
  });

  it("insufficient funds: refused, nothing written", async () => {
    const payer = await funded(100_00);
    const recipient = await createUser();
    expect(await failure(transfer(payer, recipient, 100_01))).toBe("INSUFFICIENT_FUNDS");
    expect(await balanceOf(payer.id)).toBe(100_00);
    expect(await balanceOf(recipient.id)).toBe(0);
    expect((await getWallet(payer.id)).entries).toHaveLength(1);
  });

  it("the same idempotency key twice: one entry, the second call returns the first", async () => {
    const payer = await funded(1_000_00);
    const recipient = await createUser();
    const key = randomUUID();
    const first = await transfer(payer, recipient, 100_00, { key });
    const second = await transfer(payer, recipient, 100_00, { key });
    expect(first.created).toBe(true);
    expect(second).toEqual({ entryId: first.entryId, created: false });
    expect(await balanceOf(payer.id)).toBe(900_00);
  });

  it("20 concurrent executions with one key give exactly one entry", async () => {
    const payer = await funded(1_000_00);
    const recipient = await createUser();
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 20 }, () => transfer(payer, recipient, 100_00, { key })));
    expect(new Set(results.map((result) => result.entryId)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await entriesWithKey(key)).toBe(1);
    expect(await balanceOf(payer.id)).toBe(900_00);
    expect(await balanceOf(recipient.id)).toBe(100_00);
  });

  it("20 concurrent different payments from Rs. 1,000 of Rs. 100 each: exactly 10 succeed, the balance ends at zero", async () => {
    const payer = await funded(1_000_00);
    const recipient = await createUser();
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => transfer(payer, recipient, 100_00)));
    const refused = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(10);
    expect(refused.map((outcome) => isAppError(outcome.reason) && outcome.reason.code)).toEqual(Array(10).fill("INSUFFICIENT_FUNDS"));
    expect(await balanceOf(payer.id)).toBe(0);
    expect(await balanceOf(recipient.id)).toBe(1_000_00);
  });

  it("payments both ways between two wallets at once do not deadlock", async () => {
    const a = await funded(1_000_00);
    const b = await funded(1_000_00);
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? transfer(a, b, 10_00) : transfer(b, a, 10_00))));
    expect((await balanceOf(a.id)) + (await balanceOf(b.id))).toBe(2_000_00);
    expect(await balanceOf(a.id)).toBe(1_000_00);
  });

  it("the daily limit counts at its number per Nepal calendar day and resets at Nepal midnight", async () => {
    const payer = await funded(200_000_00);
    const recipient = await createUser();
    // 10:00 NPT on 23 Nov 2026 = 04:15 UTC; the Nepal day ends at 18:15 UTC.
    const morning = new Date("2026-11-23T04:15:00Z");
    for (let i = 0; i < 4; i++) await transfer(payer, recipient, paymentRules.maxPaymentPaisa, { at: morning });
    // Exactly Rs. 100,000 paid: one more paisa is over the limit…
    expect(await failure(transfer(payer, recipient, paymentRules.minPaymentPaisa, { at: new Date("2026-11-23T18:14:59Z") }))).toBe(
      "LIMIT_EXCEEDED",
    );
    // …until the next Nepal day.
    await transfer(payer, recipient, paymentRules.minPaymentPaisa, { at: new Date("2026-11-23T18:15:00Z") });
    expect(await balanceOf(payer.id)).toBe(200_000_00 - 100_000_00 - paymentRules.minPaymentPaisa);
  });

  it("a limit refusal says when it ends", async () => {
    const payer = await funded(200_000_00);
    const recipient = await createUser();
    const at = new Date("2026-11-24T04:15:00Z");
    for (let i = 0; i < 4; i++) await transfer(payer, recipient, paymentRules.maxPaymentPaisa, { at });
    const error = await transfer(payer, recipient, 10_00, { at }).catch((caught: unknown) => caught);
    expect(isAppError(error) && error.toBody().error).toMatchObject({ code: "LIMIT_EXCEEDED", retryAt: "2026-11-24T18:15:00.000Z" });
  });
});

describe("pay now (POST /api/wallet/transfers)", () => {
  it("checks the password first, then the recipient; a wrong password moves nothing", async () => {
    const payer = await funded(1_000_00);
    const recipient = await createUser();
    const base = { user: payer, toPhone: recipient.phone, amount: 100_00, note: null, meta: NO_META };
    expect(await failure(payNow({ ...base, password: "wrong-password-1" }))).toBe("WRONG_PASSWORD");
    expect(await failure(payNow({ ...base, password: payer.password, toPhone: "+9779800000000" }))).toBe("RECIPIENT_NOT_FOUND");
    expect(await failure(payNow({ ...base, password: payer.password, toPhone: payer.phone }))).toBe("SELF_TRANSFER");
    expect(await balanceOf(payer.id)).toBe(1_000_00);
    const { entry } = await payNow({ ...base, password: payer.password, note: "Rent" });
    expect(entry).toMatchObject({ amount: -100_00, note: "Rent" });
  });

  it("amounts at the bounds: Rs. 10 and Rs. 25,000 pass, a paisa outside either is refused", async () => {
    const payer = await funded(30_000_00);
    const recipient = await createUser();
    const base = { user: payer, toPhone: recipient.phone, note: null, meta: NO_META, password: payer.password };
    expect(await failure(payNow({ ...base, amount: paymentRules.minPaymentPaisa - 1 }))).toBe("INVALID_INPUT");
    expect(await failure(payNow({ ...base, amount: paymentRules.maxPaymentPaisa + 1 }))).toBe("INVALID_INPUT");
    await payNow({ ...base, amount: paymentRules.minPaymentPaisa });
    await payNow({ ...base, amount: paymentRules.maxPaymentPaisa });
    expect(await balanceOf(recipient.id)).toBe(paymentRules.minPaymentPaisa + paymentRules.maxPaymentPaisa);
  });

  it("a retried request with the same Idempotency-Key pays once", async () => {
    const payer = await funded(1_000_00);
    const recipient = await createUser();
    const request = {
      user: payer,
      toPhone: recipient.phone,
      amount: 100_00,
      note: null,
      meta: NO_META,
      password: payer.password,
      idempotencyKey: "k-1",
    };
    const first = await payNow(request);
    const again = await payNow(request);
    expect(again).toEqual({ entry: first.entry, replayed: true });
    expect(await balanceOf(payer.id)).toBe(900_00);
  });
});

describe("the database keeps the ledger's rules whatever the code does", () => {
  const sqlFailure = (promise: Promise<unknown>) =>
    promise.then(
      () => "committed",
      (error: unknown) => String(error),
    );

  it("a balance cannot be set directly", async () => {
    const user = await funded(100_00);
    expect(await sqlFailure(db.$executeRaw`UPDATE wallets SET balance = 1000000 WHERE user_id = ${user.id}::uuid`)).toContain(
      "moves only with a ledger posting",
    );
  });

  it("entries and postings cannot be updated or deleted", async () => {
    const user = await funded(100_00);
    const [entry] = (await getWallet(user.id)).entries;
    expect(await sqlFailure(db.$executeRaw`UPDATE ledger_entries SET note = 'x' WHERE id = ${entry!.id}::uuid`)).toContain("append-only");
    expect(await sqlFailure(db.$executeRaw`DELETE FROM ledger_postings WHERE entry_id = ${entry!.id}::uuid`)).toContain("append-only");
  });

  it("an entry whose postings do not sum to zero is refused at commit", async () => {
    const user = await createUser();
    const wallet = await walletOf(user.id);
    const result = await sqlFailure(
      db.$transaction(async (tx) => {
        const id = randomUUID();
        await tx.$executeRaw`INSERT INTO ledger_entries (id, idempotency_key, kind) VALUES (${id}::uuid, ${randomUUID()}, 'top_up')`;
        await tx.$executeRaw`INSERT INTO ledger_postings (entry_id, wallet_id, amount) VALUES (${id}::uuid, ${wallet.id}::uuid, 500)`;
      }),
    );
    expect(result).toContain("not balanced");
    expect(await balanceOf(user.id)).toBe(0);
  });

  it("a posting that takes a user wallet below zero is refused", async () => {
    const user = await funded(100_00);
    const other = await createUser();
    const [from, to] = [await walletOf(user.id), await walletOf(other.id)];
    const result = await sqlFailure(
      db.$transaction(async (tx) => {
        const id = randomUUID();
        await tx.$executeRaw`INSERT INTO ledger_entries (id, idempotency_key, kind) VALUES (${id}::uuid, ${randomUUID()}, 'transfer')`;
        await tx.$executeRaw`INSERT INTO ledger_postings (entry_id, wallet_id, amount) VALUES (${id}::uuid, ${from.id}::uuid, -10001), (${id}::uuid, ${to.id}::uuid, 10001)`;
      }),
    );
    expect(result).toContain("wallets_balance_non_negative");
    expect(await balanceOf(user.id)).toBe(100_00);
  });

  it("after all of the above, the invariants hold", async () => {
    expect(await ledgerViolations(db)).toEqual([]);
  });
});
