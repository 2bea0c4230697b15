import PostalMime from "postal-mime";
import type { Address } from "postal-mime";
import { SMTPServer } from "smtp-server";
import type { SMTPServerDataStream } from "smtp-server";
import type { MessageStore } from "./store";

export type Log = (line: string) => void;

/** Simulates a relay outage: while down, every transaction gets a temporary 451. */
export interface OutageSwitch {
  readonly down: boolean;
  set(down: boolean): void;
}

export function createOutageSwitch(log: Log): OutageSwitch {
  let down = false;
  return {
    get down() {
      return down;
    },
    set(next) {
      down = next;
      log(`mail-catcher: SMTP is now ${down ? "DOWN (rejecting with 451)" : "up"}`);
    },
  };
}

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

const temporaryFailure = () => smtpError(451, "4.3.0 Mail catcher is simulating an outage (POST /api/smtp/up to end it)");

/** Accepts anything (no auth, no TLS) and stores the parsed message. */
export function createSmtpServer(options: { store: MessageStore; outage: OutageSwitch; log: Log }): SMTPServer {
  const { store, outage, log } = options;
  const smtp = new SMTPServer({
    banner: "Local mail catcher",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    size: MAX_MESSAGE_BYTES,
    closeTimeout: 1000,
    onMailFrom(_address, _session, callback) {
      callback(outage.down ? temporaryFailure() : null);
    },
    onRcptTo(_address, _session, callback) {
      callback(outage.down ? temporaryFailure() : null);
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error: Error) => callback(error));
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          callback(smtpError(552, "5.3.4 Message too big for the mail catcher"));
          return;
        }
        // The outage may have started while this message was being transferred.
        if (outage.down) {
          callback(temporaryFailure());
          return;
        }
        const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        PostalMime.parse(Buffer.concat(chunks))
          .then((email) => {
            const message = store.add({
              from: formatAddress(email.from) ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ""),
              to: recipients,
              subject: email.subject ?? "",
              text: email.text ?? "",
              html: email.html ?? "",
            });
            log(`mail-catcher: received "${message.subject}" for ${recipients.join(", ")}`);
            callback(null, `Message accepted as ${message.id}`);
          })
          .catch((error: unknown) => {
            log(`mail-catcher: could not parse a message: ${String(error)}`);
            callback(smtpError(554, "5.6.0 Mail catcher could not parse the message"));
          });
      });
    },
  });
  // Client hiccups (a dropped connection) surface here; they must not crash the process.
  smtp.on("error", (error: Error) => log(`mail-catcher: SMTP error: ${error.message}`));
  return smtp;
}

export function closeSmtpServer(smtp: SMTPServer): Promise<void> {
  return new Promise((resolve) => {
    if (!smtp.server.listening) return resolve();
    smtp.close(() => resolve());
  });
}

function formatAddress(address: Address | undefined): string | undefined {
  if (!address) return undefined;
  if (address.address === undefined) return address.name || undefined;
  return address.name ? `${address.name} <${address.address}>` : address.address;
}
