// Money is integer paisa everywhere (1 rupee = 100 paisa): in the database,
// in code and in the API. Rupees appear only where people read or type them.

const GROUPED = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 123450 → "Rs. 1,234.50"; negative amounts as "-Rs. 1,234.50". */
export function formatPaisa(paisa: number): string {
  const sign = paisa < 0 ? "-" : "";
  return `${sign}Rs. ${GROUPED.format(Math.abs(paisa) / 100)}`;
}

const RUPEES = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/**
 * What a person typed in rupees ("1,234.5", "Rs. 50", "10") as paisa, or null
 * when it is not an amount. No floating point: the digits are read as text.
 */
export function parseRupees(input: string): number | null {
  const text = input
    .trim()
    .replace(/^(?:rs\.?|npr)\s*/i, "")
    .trim();
  const match = RUPEES.exec(text);
  if (!match) return null;
  const whole = Number(match[1]!.replaceAll(",", ""));
  const fraction = Number((match[2] ?? "").padEnd(2, "0"));
  const paisa = whole * 100 + fraction;
  return Number.isSafeInteger(paisa) ? paisa : null;
}
