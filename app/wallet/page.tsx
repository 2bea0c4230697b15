import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { payNowAction, topUpAction } from "@/app/(payments)/actions";
import { EntryList } from "@/components/payments/entry-list";
import { PayNowForm } from "@/components/payments/pay-now-form";
import { TopUpForm } from "@/components/payments/top-up-form";
import { Alert } from "@/components/ui/alert";
import { formatPaisa } from "@/lib/money";
import { getCurrentUser } from "@/server/auth/current-user";
import { getWallet } from "@/server/wallet/get-wallet";
import { topUpsEnabled } from "@/server/wallet/top-up";

export const metadata: Metadata = { title: "Wallet" };
export const dynamic = "force-dynamic";

export default async function WalletPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=/wallet");
  const { wallet, entries } = await getWallet(user.id);
  const params = await searchParams;
  // The pay-now action comes back here with the entry it made; it is among the latest.
  const paid = typeof params.paid === "string" ? entries.find((entry) => entry.id === params.paid) : undefined;
  const toppedUp = params.topped === "1";
  return (
    <>
      <h1>Wallet</h1>
      {/* Announced (role=status) but not focused: a form of this page answered without JavaScript renders
          the page again with this URL, and then its first field in error must get the focus (the first autofocus wins). */}
      {paid && (
        <Alert tone="success" testId="payment-done">
          You paid {formatPaisa(Math.abs(paid.amount))}
          {paid.counterparty ? ` to ${paid.counterparty.name}` : ""}.
        </Alert>
      )}
      {toppedUp && (
        <Alert tone="success" testId="top-up-done">
          Test money added.
        </Alert>
      )}
      <section className="card" aria-labelledby="balance-heading">
        <h2 id="balance-heading">Balance</h2>
        <p className="balance" data-testid="wallet-balance">
          {formatPaisa(wallet.balance)}
        </p>
        <div className="button-row">
          <Link className="button button-secondary" href="/payments">
            Scheduled payments
          </Link>
          <Link className="button button-secondary" href="/profile">
            Profile
          </Link>
        </div>
      </section>
      {/* A fresh form (and payment key) after each payment: nothing typed survives it. */}
      <PayNowForm key={paid?.id ?? "form"} action={payNowAction} paymentKey={randomUUID()} />
      <section className="card" aria-labelledby="entries-heading">
        <h2 id="entries-heading">Latest payments</h2>
        <EntryList entries={entries} />
      </section>
      {topUpsEnabled() && <TopUpForm key={toppedUp ? "done" : "form"} action={topUpAction} />}
    </>
  );
}
