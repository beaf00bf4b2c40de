/**
 * What an action will cost, shown before it runs: a runbook's estimate with its arithmetic
 * and the free tier's part (asked once per account), and a Logs Insights query's upper bound
 * from the chosen groups' stored bytes, then what it really scanned. The practice account is
 * free and says why.
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks } from "../../lib/ipc/testing";
import { confirmChange } from "../../test/confirm-change";
import { ACCOUNTS } from "../../test/fixtures";
import { incidentBackend } from "../../test/incident-fixtures";
import { sent, show } from "../../test/incident-render";

const SLOW = { timeout: 5000 };
const PROD = "profile:prod";

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

async function reviewRunbook() {
  const instanceField = await screen.findByTestId("param-InstanceId");
  await fireEvent.input(instanceField, { target: { value: "i-0000000000000001" } });
  await fireEvent.click(screen.getByTestId("runbook-review"));
  return screen.findByTestId("runbook-preview");
}

describe("Cost before an action", { timeout: 20_000 }, () => {
  it("a runbook on the practice account is free, and says why", async () => {
    const backend = incidentBackend();
    show(backend, "recovery");
    const preview = await reviewRunbook();
    const estimate = await within(preview).findByTestId("runbook-preview-estimate");
    expect(within(estimate).getByTestId("runbook-preview-estimate-figure").textContent).toBe(
      "Free",
    );
    expect(estimate.textContent).toContain("the practice account is simulated");
    expect(screen.queryByTestId("automation-history")).toBeNull();
  });

  it("a runbook on an AWS account shows its arithmetic, and asks once about the free tier", async () => {
    const backend = incidentBackend();
    show(backend, "recovery", () => {}, ACCOUNTS.practice.capabilities, PROD);
    const preview = await reviewRunbook();
    const estimate = await within(preview).findByTestId("runbook-preview-estimate");
    // The free tier is not known yet: the most it can cost.
    expect(within(estimate).getByTestId("runbook-preview-estimate-figure").textContent).toBe(
      "At most $0.008",
    );
    expect(estimate.textContent).toContain("4 steps × $0.002 = $0.008");
    expect(estimate.textContent).toContain(
      "Prices for us-east-1 shipped with Unyo, as of 2025-06-26.",
    );
    await fireEvent.click(within(preview).getByTestId("automation-history-newSince"));
    await waitFor(() =>
      expect(sent(backend, "set_automation_history")[0]?.args).toEqual({
        account: PROD,
        history: "newSince",
      }),
    );
    await waitFor(
      () =>
        expect(within(preview).getByTestId("runbook-preview-estimate-figure").textContent).toBe(
          "$0.008",
        ),
      SLOW,
    );
    expect(within(preview).getByTestId("runbook-preview-estimate-free-tier").textContent).toBe(
      "your free tier: none",
    );
    expect(screen.queryByTestId("automation-history")).toBeNull();
    expect(sent(backend, "estimate_runbook").at(-1)?.args).toEqual({
      account: PROD,
      region: "ap-northeast-1",
      steps: 4,
      scriptSteps: 0,
    });
  });

  it("a Logs Insights query shows the most it can cost before it runs, then what it scanned", async () => {
    const backend = incidentBackend();
    show(backend, "diagnosis", () => {}, ACCOUNTS.practice.capabilities, PROD);
    const before = await screen.findByTestId("insights-estimate");
    await waitFor(() => expect(sent(backend, "estimate_logs_insights").length).toBeGreaterThan(0));
    // The chosen group's stored bytes, the most a query can scan.
    await waitFor(() =>
      expect(sent(backend, "estimate_logs_insights").at(-1)?.args).toEqual({
        account: PROD,
        region: "ap-northeast-1",
        bytes: 1000,
        scanned: false,
      }),
    );
    expect(before.dataset.free).toBe("false");
    expect(screen.getByTestId("insights-estimate-figure").textContent).toMatch(/^At most \$/);
    await fireEvent.click(screen.getByTestId("insights-run"));
    const actual = await screen.findByTestId("insights-actual", {}, SLOW);
    expect(within(actual).getByTestId("insights-actual-figure").textContent).toMatch(/^\$/);
    expect(sent(backend, "estimate_logs_insights").at(-1)?.args).toMatchObject({ scanned: true });
    expect(screen.getByTestId("insights-difference").textContent).toContain("scanned of the");
    // The query is on the incident with what it cost.
    await waitFor(() =>
      expect(backend.journal.entries.find((e) => e.kind === "query")).toMatchObject({
        title: "Logs Insights: /storefront/app",
        apiCall: "logs:StartQuery",
        cost: { basis: "actual" },
      }),
    );
  });

  it("after a runbook, what it cost from the steps it ran goes beside the estimate and on the incident", async () => {
    const backend = incidentBackend();
    backend.automationHistory = "newSince";
    show(backend, "recovery", () => {}, ACCOUNTS.practice.capabilities, PROD);
    const preview = await reviewRunbook();
    await within(preview).findByTestId("runbook-preview-estimate");
    await confirmChange(preview, "runbook-preview");
    const cost = await screen.findByTestId("execution-cost", {}, SLOW);
    // The execution ran one step: 1 × $0.002, where 4 steps were estimated.
    expect(within(cost).getByTestId("execution-actual-figure").textContent).toBe("$0.002");
    expect(within(cost).getByTestId("execution-estimated").textContent).toBe(
      "Estimated before it ran: $0.008.",
    );
    await waitFor(() =>
      expect(backend.journal.entries.find((e) => e.kind === "runbook")?.cost).toEqual({
        usd: "0.002",
        basis: "actual",
      }),
    );
    await fireEvent.click(screen.getByTestId("phase-analysis"));
    await waitFor(() =>
      expect(screen.getByTestId("incident-cost").textContent).toBe("Cost: $0.002"),
    );
    const costs = screen.getAllByTestId("entry-cost").map((e) => e.textContent);
    expect(costs).toContain("Cost: $0.002 (as reported by AWS)");
  });

  it("an AWS account can refresh the prices from the AWS Price List, and the estimate says so", async () => {
    const backend = incidentBackend();
    backend.automationHistory = "newSince";
    const capabilities = [...ACCOUNTS.practice.capabilities, "billing" as const];
    show(backend, "recovery", () => {}, capabilities, PROD);
    const preview = await reviewRunbook();
    await within(preview).findByTestId("runbook-preview-estimate");
    expect(within(preview).getByTestId("runbook-preview-estimate-basis").textContent).toBe(
      "Prices for us-east-1 shipped with Unyo, as of 2025-06-26.",
    );
    await fireEvent.click(within(preview).getByTestId("prices-refresh"));
    await waitFor(() =>
      expect(within(preview).getByTestId("prices-refreshed").textContent).toBe(
        "The Price List priced 3 of Unyo's units; 1 kept as shipped.",
      ),
    );
    expect(sent(backend, "refresh_prices")[0]?.args).toEqual({
      account: PROD,
      region: "ap-northeast-1",
    });
    await waitFor(() =>
      expect(within(preview).getByTestId("runbook-preview-estimate-basis").textContent).toBe(
        "Prices for us-east-1 from the AWS Price List, published 2026-10-04.",
      ),
    );
  });
});
