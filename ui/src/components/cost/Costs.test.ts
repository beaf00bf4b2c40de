/**
 * The Costs screen: this month's use of each tool as a bar against its free tier's line, what
 * it costs, and a part the account refuses to read named with why while the rest shows.
 */
import { render, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MonthUsage } from "../../lib/ipc";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { accounts } from "../../test/incident-render";
import CostsScreen from "./CostsScreen.svelte";

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

const BASIS = { region: "ap-northeast-1", origin: { kind: "embedded" as const }, asOf: null };
const FREE = {
  total: "0",
  lines: [{ en: "the practice account is simulated: nothing is billed", ja: "課金されません" }],
  freeTier: null,
  fitsFreeTier: null,
  free: true,
  upperBound: false,
  unconfirmed: false,
  unknown: null,
  basis: BASIS,
};

const MONTH: MonthUsage = {
  region: "ap-northeast-1",
  month: "2026-11",
  automationSteps: { used: 12, free: 0, atLeast: false, estimate: FREE },
  automationExecutions: 3,
  alarms: { used: 14, free: 10, atLeast: false, estimate: FREE },
  customMetrics: { used: 6, free: 10, atLeast: false, estimate: FREE },
  dashboards: { used: 0, free: 3, atLeast: false, estimate: FREE },
  // 1.5 GiB taken in and stored, of the free 5 GiB.
  logsData: { used: 1610612736, free: 5368709120, atLeast: false, estimate: FREE },
  awsFreeTier: [
    {
      service: "AmazonCloudWatch",
      usageType: "global-CW:AlarmMonitorUsage",
      region: "global",
      description: "10 Alarms free per month",
      unit: "Alarms",
      used: 4,
      forecast: 12,
      limit: 10,
      offer: "Always Free",
    },
  ],
  unyoQueries: { queries: 2, cost: "0.003" },
  gaps: [],
};

describe("Costs", () => {
  it("draws each tool's month against its free tier", async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "month_usage") {
        asked.push(args);
        return MONTH;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(CostsScreen, { accounts: accounts() });
    const alarms = await screen.findByTestId("cost-alarms");
    expect(within(alarms).getByTestId("cost-alarms-used").textContent?.trim()).toBe(
      "14 used of 10 free",
    );
    // Over the free tier: the bar passes the line, in the warning colour.
    expect(within(alarms).getByTestId("cost-alarms-bar").getAttribute("data-over")).toBe("true");
    const automation = screen.getByTestId("cost-automation");
    expect(automation.textContent).toContain("Steps run by 3 execution(s) started this month.");
    expect(within(automation).getByTestId("cost-automation-used").textContent?.trim()).toBe(
      "12 used; no free tier",
    );
    // With no free tier, all of the use is billed: the bar is in the warning colour.
    expect(within(automation).getByTestId("cost-automation-bar").getAttribute("data-over")).toBe(
      "true",
    );
    const metrics = screen.getByTestId("cost-customMetrics");
    expect(within(metrics).getByTestId("cost-customMetrics-used").textContent?.trim()).toBe(
      "6 used of 10 free",
    );
    expect(within(metrics).getByTestId("cost-customMetrics-bar").getAttribute("data-over")).toBe(
      "false",
    );
    // Log data is in the GB CloudWatch Logs bills.
    expect(screen.getByTestId("cost-logs-used").textContent?.trim()).toBe(
      "1.500 GB used of 5.000 GB free",
    );
    expect(screen.getByTestId("cost-dashboards-used").textContent?.trim()).toBe("0 used of 3 free");
    expect(screen.getByTestId("costs-month").textContent).toBe("2026-11 in ap-northeast-1");
    expect(asked).toEqual([{ account: "practice", region: "ap-northeast-1" }]);
    expect(screen.getByTestId("cost-queries").textContent).toContain(
      "2 queries this month: $0.003 (from the incident journal)",
    );
    const offer = screen.getByTestId("cost-aws-offer");
    expect(offer.textContent).toContain("10 Alarms free per month");
    expect(offer.textContent).toContain("4 Alarms");
  });

  it("names a part the account refuses to read, and shows the rest", async () => {
    mockIPC((cmd) => {
      if (cmd !== "month_usage") throw new Error(`unexpected ${cmd}`);
      return {
        ...MONTH,
        alarms: null,
        gaps: [
          {
            tool: "alarms",
            error: { code: "AccessDenied", message: "not allowed: cloudwatch:DescribeAlarms" },
          },
        ],
      };
    });
    render(CostsScreen, { accounts: accounts() });
    const gap = await screen.findByTestId("costs-gap");
    expect(gap.textContent).toContain(
      "Metric alarms could not be read: not allowed: cloudwatch:DescribeAlarms",
    );
    expect(screen.getByTestId("cost-automation")).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId("cost-alarms")).toBeNull());
  });
});
