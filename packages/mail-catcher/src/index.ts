export { startMailCatcher } from "./catcher";
export type { CaughtMessage, MailCatcher, MailCatcherOptions } from "./catcher";
