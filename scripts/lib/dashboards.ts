// The Grafana dashboards of ops/grafana/dashboards, read the way Grafana
// reads them: each panel's PromQL with Grafana's interval variables replaced.
// Used by `npm run check:ops` (promtool parses every query) and by the
// monitoring end-to-end test (every query returns data from a Prometheus
// scraping the running stack).
import fs from "node:fs";
import path from "node:path";

export const DASHBOARDS_DIR = path.resolve(import.meta.dirname, "../../ops/grafana/dashboards");
export const DATASOURCES_DIR = path.resolve(import.meta.dirname, "../../ops/grafana/provisioning/datasources");

export type Target = { refId: string; expr: string; legendFormat?: string; datasource?: { type: string; uid: string } };
export type Panel = {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Target[];
};
export type Dashboard = { uid: string; title: string; description?: string; panels: Panel[]; file: string };

export function loadDashboards(dir = DASHBOARDS_DIR): Dashboard[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({ ...(JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as Omit<Dashboard, "file">), file: name }));
}

// Grafana's own variables that the dashboards use. The values stand in for a
// short time range on a fast scrape (the test's); in Grafana they follow the
// picked range and the datasource's scrape interval.
export type Intervals = { rateInterval: string; range: string; interval: string };
const DEFAULT_INTERVALS: Intervals = { rateInterval: "1m", range: "1h", interval: "15s" };

export function resolveVariables(expr: string, intervals: Intervals = DEFAULT_INTERVALS): string {
  const resolved = expr
    .replaceAll("$__rate_interval", intervals.rateInterval)
    .replaceAll("$__range", intervals.range)
    .replaceAll("$__interval", intervals.interval);
  const unknown = /\$\{?\w+/.exec(resolved);
  // A dashboard variable nobody defines would reach Prometheus as a syntax error.
  if (unknown) throw new Error(`unknown Grafana variable ${unknown[0]} in: ${expr}`);
  return resolved;
}

export type PanelQuery = { dashboard: string; panel: string; refId: string; expr: string };

export function panelQueries(intervals: Intervals = DEFAULT_INTERVALS, dashboards = loadDashboards()): PanelQuery[] {
  return dashboards.flatMap((dashboard) =>
    dashboard.panels
      .filter((panel) => panel.type !== "row")
      .flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({
          dashboard: dashboard.uid,
          panel: panel.title,
          refId: target.refId,
          expr: resolveVariables(target.expr, intervals),
        })),
      ),
  );
}
