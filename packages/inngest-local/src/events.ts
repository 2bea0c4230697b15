// Inngest's own event names: emitted by the engine when a run ends, for an
// invoke or a cron tick, and matched by the pauses and triggers waiting for them.
export const INVOKED_EVENT = "inngest/function.invoked";
export const FINISHED_EVENT = "inngest/function.finished";
export const FAILED_EVENT = "inngest/function.failed";
export const CANCELLED_EVENT = "inngest/function.cancelled";
export const SCHEDULED_EVENT = "inngest/scheduled.timer";
