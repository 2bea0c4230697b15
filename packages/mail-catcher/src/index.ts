export { startMailCatcher } from "./catcher";
export type { MailCatcher, MailCatcherOptions } from "./catcher";
export type { CaughtMessage } from "./store";
