-- The wallet and its double-entry ledger (docs/product/payments.md; ADR 0019).
-- The database, not the application, keeps the money rules:
--   * every entry's postings sum to zero (a deferred constraint trigger checks
--     each entry at commit, so an entry cannot be left half-written);
--   * a wallet's balance is the sum of its postings: the balance column moves
--     only through the trigger on ledger_postings, in the same transaction;
--   * no user wallet goes below zero (CHECK on that column);
--   * an entry's idempotency key is unique, so doing the same thing twice
--     changes nothing the second time;
--   * entries and postings are never updated or deleted (a mistake is
--     corrected by a reversing entry).
-- Amounts are integer paisa (1 rupee = 100 paisa), BIGINT.

CREATE TYPE "ledger_entry_kind" AS ENUM ('top_up', 'transfer', 'scheduled_payment', 'reversal');

CREATE TABLE "wallets" (
    "id" UUID NOT NULL,
    -- The owner; null for the system wallets, and after the owner's account
    -- was deleted (the ledger keeps its history).
    "user_id" UUID,
    -- System wallets (the counterpart of top-ups) are named by a code.
    "system_code" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'NPR',
    "balance" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wallets_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "wallets_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$'),
    CONSTRAINT "wallets_owner_check" CHECK ("user_id" IS NULL OR "system_code" IS NULL),
    -- Money that enters the system comes from a system wallet, which goes
    -- negative by design (its balance is minus everything ever topped up).
    CONSTRAINT "wallets_balance_non_negative" CHECK ("balance" >= 0 OR "system_code" IS NOT NULL)
);

CREATE UNIQUE INDEX "wallets_user_id_key" ON "wallets"("user_id");
CREATE UNIQUE INDEX "wallets_system_code_key" ON "wallets"("system_code");
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "ledger_entries" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "kind" "ledger_entry_kind" NOT NULL,
    -- The payer's note (transfers and scheduled payments), at most 100 characters.
    "note" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ledger_entries_note_length" CHECK ("note" IS NULL OR char_length("note") <= 100)
);

CREATE UNIQUE INDEX "ledger_entries_idempotency_key_key" ON "ledger_entries"("idempotency_key");
CREATE INDEX "ledger_entries_created_at_idx" ON "ledger_entries"("created_at");

CREATE TABLE "ledger_postings" (
    "id" BIGSERIAL NOT NULL,
    "entry_id" UUID NOT NULL,
    "wallet_id" UUID NOT NULL,
    "amount" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_postings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ledger_postings_amount_non_zero" CHECK ("amount" <> 0)
);

CREATE INDEX "ledger_postings_entry_id_idx" ON "ledger_postings"("entry_id");
CREATE INDEX "ledger_postings_wallet_id_created_at_idx" ON "ledger_postings"("wallet_id", "created_at");
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "ledger_entries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_wallet_id_fkey" FOREIGN KEY ("wallet_id") REFERENCES "wallets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The balance moves with each posting, in the posting's transaction. A
-- posting that would take a user wallet below zero fails the CHECK above and
-- takes its whole transaction with it.
CREATE FUNCTION ledger_apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE wallets SET balance = balance + NEW.amount WHERE id = NEW.wallet_id;
  RETURN NEW;
END $$;

CREATE TRIGGER ledger_postings_apply AFTER INSERT ON "ledger_postings"
  FOR EACH ROW EXECUTE FUNCTION ledger_apply_posting();

-- Nothing else moves a balance: an UPDATE of the column that does not come
-- from the trigger above (trigger depth 2) is refused.
CREATE FUNCTION wallets_guard_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'wallets.balance moves only with a ledger posting' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER wallets_guard_balance BEFORE UPDATE ON "wallets"
  FOR EACH ROW EXECUTE FUNCTION wallets_guard_balance();

-- Zero-sum, checked at commit for every entry that gained a posting (and for
-- every new entry, so one without postings cannot be committed either).
CREATE FUNCTION ledger_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  checked_entry UUID;
  total NUMERIC;
  postings INTEGER;
BEGIN
  -- A record has only its own table's fields: branch before reading one.
  IF TG_TABLE_NAME = 'ledger_entries' THEN
    checked_entry := NEW.id;
  ELSE
    checked_entry := NEW.entry_id;
  END IF;
  SELECT COALESCE(SUM(amount), 0), COUNT(*) INTO total, postings FROM ledger_postings WHERE entry_id = checked_entry;
  IF postings < 2 OR total <> 0 THEN
    RAISE EXCEPTION 'ledger entry % is not balanced (% postings, sum %)', checked_entry, postings, total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON "ledger_entries"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();
CREATE CONSTRAINT TRIGGER ledger_postings_balanced AFTER INSERT ON "ledger_postings"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

-- Append-only.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on % refused (correct a mistake with a reversing entry)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON "ledger_entries"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON "ledger_entries"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON "ledger_postings"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON "ledger_postings"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- The counterpart of every top-up, and a wallet for every existing account.
INSERT INTO "wallets" ("id", "system_code") VALUES (gen_random_uuid(), 'top_ups');
INSERT INTO "wallets" ("id", "user_id") SELECT gen_random_uuid(), "id" FROM "users";

-- One wallet per account, whatever creates the account (sign-up, the seed, tests).
CREATE FUNCTION users_create_wallet() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO wallets (id, user_id) VALUES (gen_random_uuid(), NEW.id);
  RETURN NULL;
END $$;

CREATE TRIGGER users_create_wallet AFTER INSERT ON "users"
  FOR EACH ROW EXECUTE FUNCTION users_create_wallet();

-- The ledger's promises as one query that must return no rows: checked after
-- every test run that touches money, after the payments benchmark, and
-- exported as a metric. The rules above enforce each at write time; this is
-- the independent check that they did.
CREATE FUNCTION ledger_violations() RETURNS TABLE ("rule" TEXT, "detail" TEXT) LANGUAGE sql STABLE AS $$
  SELECT 'entry sums to zero', format('entry %s: %s postings, sum %s', e.id, COUNT(p.id), COALESCE(SUM(p.amount), 0))
    FROM ledger_entries e LEFT JOIN ledger_postings p ON p.entry_id = e.id
   GROUP BY e.id HAVING COALESCE(SUM(p.amount), 0) <> 0 OR COUNT(p.id) < 2
  UNION ALL
  SELECT 'balance equals postings', format('wallet %s: balance %s, postings %s', w.id, w.balance, COALESCE(SUM(p.amount), 0))
    FROM wallets w LEFT JOIN ledger_postings p ON p.wallet_id = w.id
   GROUP BY w.id HAVING w.balance <> COALESCE(SUM(p.amount), 0)
  UNION ALL
  SELECT 'no negative balance', format('wallet %s: %s', id, balance) FROM wallets WHERE system_code IS NULL AND balance < 0
$$;
