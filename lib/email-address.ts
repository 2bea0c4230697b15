// One canonical form per address (docs/product/email.md, "uniqueness"): trimmed, Unicode
// NFC, lower-cased, with an internationalised domain in its ASCII (punycode)
// form. The unique index on users.email holds this form only. No Node or
// browser APIs beyond URL: the browser and the server canonicalise alike.

// atext of RFC 5322, lower-cased. A non-ASCII local part (RFC 6531) is
// accepted only when the caller says the relay can deliver it (SMTPUTF8):
// otherwise such an address is stored and shown but never delivered.
const ASCII_LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const UNICODE_LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~.\-\p{L}\p{M}\p{N}]+$/u;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
// Security rule (issue 10, item 9): invisible, format (bidi controls,
// zero-width characters, soft hyphen, BOM), control, private-use and
// surrogate code units make two addresses look alike or break storage; astral
// characters (emoji, mathematical letters) are never part of a deliverable
// address here and are where naive masking split a surrogate pair.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]|[\u{10000}-\u{10FFFF}]/u;

export type EmailOptions = {
  /** The relay supports international (SMTPUTF8) addresses: letters beyond ASCII in the local part. */
  unicodeLocalPart?: boolean;
};

export function canonicalEmail(input: string, options: EmailOptions = {}): string | null {
  // A lone surrogate cannot be normalised reliably: refuse before anything else.
  if (!input.isWellFormed() || FORBIDDEN.test(input)) return null;
  const value = input.trim().normalize("NFC").toLowerCase();
  if (FORBIDDEN.test(value)) return null;
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1) return null;
  const local = value.slice(0, at);
  const domain = asciiDomain(value.slice(at + 1));
  const localPart = options.unicodeLocalPart ? UNICODE_LOCAL_PART : ASCII_LOCAL_PART;
  if (local.length > 64 || !localPart.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return null;
  }
  const labels = domain.split(".");
  if (!domain || labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return null;
  if (/^\d+$/.test(labels.at(-1) ?? "")) return null;
  const address = `${local}@${domain}`;
  // The limit applies to what is stored and sent: the domain after IDN conversion.
  if (address.length > 254) return null;
  return address;
}

/** True when the local part is plain ASCII (deliverable through any relay). */
export function hasAsciiLocalPart(address: string): boolean {
  return ASCII_LOCAL_PART.test(address.slice(0, address.lastIndexOf("@")));
}

/**
 * n***@example.com — enough for the owner to recognise the address, not
 * enough to harvest it. The domain stays whole so people can tell which inbox.
 * The first character is taken by code point, never half a surrogate pair
 * (a lone surrogate cannot be stored in PostgreSQL's jsonb).
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return "***";
  const [first = ""] = Array.from(address.slice(0, at));
  return `${first}***@${address.slice(at + 1)}`;
}

/** The WHATWG URL parser applies IDNA (UTS #46) in Node and in browsers alike. */
function asciiDomain(domain: string): string {
  if (!domain || /[\s/?#@:[\]\\%]/.test(domain)) return "";
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return "";
  }
}
