import type { FormView } from "@/components/forms/action-form";
import { TextField } from "@/components/ui/text-field";
import { formatPaisa } from "@/lib/money";
import { paymentRules } from "@/lib/rules";

/** Who, how much and why: the fields paying now and scheduling share (the amount in rupees, converted to paisa by the action). */
export function PaymentFields({ value, error }: Pick<FormView, "value" | "error">) {
  return (
    <>
      <TextField
        label="Recipient's mobile number"
        name="toPhone"
        type="tel"
        inputMode="tel"
        autoComplete="off"
        required
        defaultValue={value("toPhone")}
        error={error("toPhone")}
      />
      <TextField
        label="Amount (Rs.)"
        name="amount"
        inputMode="decimal"
        autoComplete="off"
        required
        hint={`From ${formatPaisa(paymentRules.minPaymentPaisa)} to ${formatPaisa(paymentRules.maxPaymentPaisa)}, e.g. 1,250.50.`}
        defaultValue={value("amount")}
        error={error("amount")}
      />
      <TextField
        label="Note (optional)"
        name="note"
        maxLength={paymentRules.noteMaxLength}
        defaultValue={value("note")}
        error={error("note")}
      />
    </>
  );
}
