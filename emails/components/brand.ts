// Names and contacts every email shows. The support address is a placeholder
// until the real support desk address is known; change it here only.
export const brand = {
  name: "Wallet",
  supportEmail: "support@wallet.example",
} as const;

// Colours chosen for WCAG AA contrast (>= 4.5:1) on their backgrounds.
export const colors = {
  brand: "#4c1d95", // on white: 10.9:1; white on it: same
  text: "#1f2937", // on white: 14.7:1
  muted: "#4b5563", // on white: 7.6:1, on page background: 6.9:1
  page: "#f3f4f6",
  card: "#ffffff",
  border: "#e5e7eb",
  noticeBackground: "#fffbeb",
  noticeText: "#78350f", // on noticeBackground: 9.6:1
  noticeBorder: "#f59e0b",
} as const;

export const fontFamily = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
