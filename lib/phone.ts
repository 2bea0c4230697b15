// Nepali mobile numbers: ten digits starting 96, 97 or 98 (NTC, Ncell, Smart…),
// written many ways (9810578899, +977 981-0578899, 009779810578899). One
// canonical form, E.164, is stored so the unique index sees one account.

const MOBILE = /^9[678]\d{8}$/;

export function canonicalPhone(input: string): string | null {
  const compact = input.trim().replace(/[\s\-().]/g, "");
  const national = compact.replace(/^(?:\+|00)?977/, "");
  return MOBILE.test(national) ? `+977${national}` : null;
}

/** 9810578899: how people in Nepal read and type their own number. */
export function displayPhone(canonical: string): string {
  return canonical.replace(/^\+977/, "");
}

/** 98******99: enough for the owner to recognise their number in a log, not enough to dial it. */
export function maskPhone(canonical: string): string {
  const national = displayPhone(canonical);
  if (national.length < 6) return "*".repeat(national.length);
  return `${national.slice(0, 2)}${"*".repeat(national.length - 4)}${national.slice(-2)}`;
}
