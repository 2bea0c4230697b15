import { TEST_PORTS } from "../../scripts/lib/ports-config";
import { connectionUrl } from "../../scripts/lib/postgres";

export const INBOX_URL = `http://127.0.0.1:${TEST_PORTS.inbox}`;
export const ENGINE_URL = `http://127.0.0.1:${TEST_PORTS.engine}`;
export const DATABASE_URL = process.env.DATABASE_URL ?? connectionUrl(TEST_PORTS.postgres, "app_test");
