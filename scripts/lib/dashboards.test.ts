import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DATASOURCES_DIR, loadDashboards, panelQueries, resolveVariables } from "./dashboards";

const dashboards = loadDashboards();
const panels = dashboards.flatMap((dashboard) =>
  dashboard.panels.filter((panel) => panel.type !== "row").map((panel) => ({ dashboard, panel })),
);
const documented = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/metrics.md"), "utf8");
const provisionedUid = /^\s*uid:\s*(\S+)/m.exec(fs.readFileSync(path.join(DATASOURCES_DIR, "wallet-prometheus.yml"), "utf8"))?.[1];

describe("the Grafana dashboards", () => {
  it("are the four the operators need, each with its own uid and a description", () => {
    expect(dashboards.map((d) => d.uid)).toEqual(["wallet-email", "wallet-engine", "wallet-overview", "wallet-payments"]);
    for (const dashboard of dashboards) {
      expect(dashboard.file).toBe(`${dashboard.uid}.json`);
      expect(dashboard.description).toBeTruthy();
    }
  });

  it("give every panel a title, a description, a query and the provisioned datasource", () => {
    expect(provisionedUid).toBe("wallet-prometheus");
    for (const { dashboard, panel } of panels) {
      const where = `${dashboard.uid} / ${panel.title}`;
      expect(panel.description, where).toBeTruthy();
      expect(panel.targets?.length, where).toBeGreaterThan(0);
      expect(panel.datasource?.uid, where).toBe(provisionedUid);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid ?? provisionedUid, where).toBe(provisionedUid);
    }
  });

  it("number panels uniquely and lay them out on Grafana's 24-column grid without overlaps", () => {
    for (const dashboard of dashboards) {
      const ids = dashboard.panels.map((panel) => panel.id);
      expect(new Set(ids).size, dashboard.uid).toBe(ids.length);
      const cells = new Set<string>();
      for (const { gridPos: g, title } of dashboard.panels) {
        expect(g.x + g.w, `${dashboard.uid} / ${title}`).toBeLessThanOrEqual(24);
        for (let x = g.x; x < g.x + g.w; x++)
          for (let y = g.y; y < g.y + g.h; y++) {
            expect(cells.has(`${x},${y}`), `${dashboard.uid} / ${title} overlaps at ${x},${y}`).toBe(false);
            cells.add(`${x},${y}`);
          }
      }
    }
  });

  it("query only metrics that docs/metrics.md documents (or Prometheus's own up)", () => {
    const names = new Set(panelQueries().flatMap(({ expr }) => expr.match(/\b(?:wallet|inngest_local|process|nodejs)_[a-z0-9_]+/g) ?? []));
    expect(names.size).toBeGreaterThan(15);
    for (const name of names) {
      if (/^(process|nodejs)_/.test(name)) continue; // prom-client's defaults, documented as process_*, nodejs_*
      const family = name.replace(/_(bucket|count|sum)$/, "");
      expect(documented.includes(`\`${name}\``) || documented.includes(`\`${family}\``), name).toBe(true);
    }
    // Every family the docs list shows up on some dashboard.
    const families = [...documented.matchAll(/^\| `((?:wallet|inngest_local)_[a-z0-9_]+)`/gm)].map((m) => m[1]);
    const queried = [...names].join(" ");
    for (const family of families) expect(queried, family).toContain(family);
  });
});

describe("docs/dashboards.md", () => {
  it("describes every panel with the query behind it, as the JSON has them", () => {
    const page = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/dashboards.md"), "utf8");
    for (const { dashboard, panel } of panels) {
      expect(page, dashboard.uid).toContain(`**${panel.title}**`);
      for (const target of panel.targets ?? []) expect(page, `${dashboard.uid} / ${panel.title}`).toContain(`\`${target.expr}\``);
    }
  });
});

describe("resolveVariables", () => {
  it("replaces Grafana's interval variables and refuses any other", () => {
    expect(
      resolveVariables("rate(x[$__rate_interval]) + increase(y[$__range])", { rateInterval: "10s", range: "5m", interval: "1s" }),
    ).toBe("rate(x[10s]) + increase(y[5m])");
    expect(() => resolveVariables('up{instance="$instance"}')).toThrow(/unknown Grafana variable \$instance/);
  });

  it("reads a dashboard directory as Grafana would", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dashboards-"));
    fs.writeFileSync(
      path.join(dir, "d.json"),
      JSON.stringify({
        uid: "d",
        title: "D",
        panels: [
          { id: 1, type: "row", title: "r", gridPos: { h: 1, w: 24, x: 0, y: 0 } },
          {
            id: 2,
            type: "stat",
            title: "S",
            gridPos: { h: 4, w: 6, x: 0, y: 1 },
            targets: [{ refId: "A", expr: "sum(rate(a[$__rate_interval]))" }],
          },
        ],
      }),
    );
    expect(panelQueries(undefined, loadDashboards(dir))).toEqual([{ dashboard: "d", panel: "S", refId: "A", expr: "sum(rate(a[1m]))" }]);
    fs.rmSync(dir, { recursive: true });
  });
});
