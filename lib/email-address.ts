// One canonical form per address (docs/product/email.md, "uniqueness"): trimmed, Unicode
// NFC, lower-cased, with an internationalised domain in its ASCII (punycode)
// form. The unique index on users.email holds this form only. No Node or
// browser APIs beyond URL: the browser and the server canonicalise alike.

const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~.\-\u0080-\uffff]+$/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function canonicalEmail(input: string): string | null {
  const value = input.trim().normalize("NFC").toLowerCase();
  if (value.length > 254) return null;
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1) return null;
  const local = value.slice(0, at);
  const domain = asciiDomain(value.slice(at + 1));
  if (local.length > 64 || !LOCAL_PART.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return null;
  }
  const labels = domain.split(".");
  if (!domain || labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return null;
  if (/^\d+$/.test(labels.at(-1) ?? "")) return null;
  return `${local}@${domain}`;
}

/**
 * n***@example.com — enough for the owner to recognise the address, not
 * enough to harvest it. The domain stays whole so people can tell which inbox.
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${address.slice(0, 1)}***@${address.slice(at + 1)}`;
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
