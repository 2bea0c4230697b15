import { passwordLocked } from "@/lib/events";
import { sendLockNotice } from "@/server/auth/send-lock-notice";
import { inngest } from "@/server/inngest";

// UC05: the account holder hears of every lock by email, so a lock nobody
// asked for (someone guessing) does not go unnoticed. Mail is slow and may
// fail; a step retries it without holding up the sign-in answer.
export const sendLockNoticeFunction = inngest.createFunction(
  { id: "send-lock-notice", name: "Send lock notice", triggers: [passwordLocked], retries: 6 },
  async ({ event, step }) => {
    return step.run("send lock notice", () => sendLockNotice(event.data));
  },
);
