import type { Metadata, Viewport } from "next";
import localFont from "next/font/local";
import Link from "next/link";
import { connection } from "next/server";
import { cancelRequestAction, resendLinkAction } from "@/app/email/actions";
import { EmailActionsProvider } from "@/components/email/email-actions";
import "./globals.css";

// Served from node_modules: the build never reaches out to a font CDN.
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});

export const metadata: Metadata = {
  title: { default: "Wallet", template: "%s · Wallet" },
  description: "Manage the email address linked to your wallet account.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#5b21b6" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: Next puts the proxy's per-request CSP
  // nonce on its scripts only then (a prerendered page has none, and its
  // scripts would be refused).
  await connection();
  return (
    <html lang="en" className={inter.variable}>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/">Wallet</Link>
        </header>
        <main id="main">
          {/* The pending request's resend and cancel forms, wherever it is shown (components/email/email-actions.tsx). */}
          <EmailActionsProvider resend={resendLinkAction} cancel={cancelRequestAction}>
            {children}
          </EmailActionsProvider>
        </main>
      </body>
    </html>
  );
}
