/**
 * The Incident screen passes axe-core's WCAG A/AA rules in both languages, on every phase,
 * with a change previewed, a runbook's verification (failed, unknown and passed checks, before
 * → after, evidence open) and an error showing, and Analysis
 * with earlier incidents, the new-incident form, a journal set aside and a write that failed.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import axe from "axe-core";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import IncidentScreen from "../components/incident/IncidentScreen.svelte";
import { AccountsStore } from "../lib/accounts/accounts.svelte";
import { IncidentStore } from "../lib/incident/incident.svelte";
import { clearMocks } from "../lib/ipc/testing";
import { confirmChange } from "./confirm-change";
import { ACCOUNTS } from "./fixtures";
import {
  ALL_PASSED,
  COMPOSITE,
  incidentBackend,
  result,
  SEED_FAILED,
  SSH_CHECKS,
} from "./incident-fixtures";
import { FakeJournal } from "./journal-fixtures";

async function violations(container: Element): Promise<string[]> {
  const result = await axe.run(container, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    rules: { "color-contrast": { enabled: false } },
  });
  return result.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

function show() {
  const accounts = new AccountsStore();
  accounts.list = ACCOUNTS;
  const initial = new IncidentStore("practice");
  const page = render(IncidentScreen, { accounts, initial });
  return { page, initial };
}

afterEach(() => clearMocks());

// Each case waits for polls (a runbook, a command) and runs axe several times: on a loaded
// machine that takes longer than Vitest's default five seconds.
const LONG = 30_000;

describe.each(["en", "ja"])("the Incident screen's accessibility in %s", (language) => {
  beforeEach(() => {
    locale.set(language);
  });

  it(
    "triage with the instance's charts, and diagnosis with a failing log-group listing",
    async () => {
      incidentBackend(["list_log_groups"]);
      const { page } = show();
      await waitFor(() => expect(screen.getAllByTestId("alarm-row")).toHaveLength(3));
      await waitFor(() => expect(screen.getByTestId("metric-caption")).toBeTruthy());
      // The instance's charts too, a failed one among them.
      await waitFor(() => expect(screen.getByTestId("instance-chart-failed")).toBeTruthy());
      expect(screen.getAllByTestId("instance-chart").length).toBeGreaterThan(0);
      expect(await violations(page.container)).toEqual([]);
      await fireEvent.click(screen.getByTestId("phase-diagnosis"));
      await waitFor(() => expect(screen.getByTestId("log-groups-error")).toBeTruthy());
      await waitFor(() => expect(screen.getAllByTestId("trail-row").length).toBeGreaterThan(0));
      expect(await violations(page.container)).toEqual([]);
    },
    LONG,
  );

  it(
    "mitigation with a command previewed, and recovery with its verification before → after",
    async () => {
      const backend = incidentBackend();
      const unknown = SEED_FAILED.map((r, i) =>
        i === 2 ? result(SSH_CHECKS[2] ?? r.probe, "unknown", "sshd -t gave no answer", "") : r,
      );
      backend.verdicts = [ALL_PASSED, unknown];
      const { page, initial } = show();
      await fireEvent.click(screen.getByTestId("phase-mitigation"));
      await fireEvent.click(await screen.findByTestId("target-i-0000000000000001"));
      await fireEvent.click(screen.getByTestId("command-review"));
      await screen.findByTestId("command-preview");
      expect(await violations(page.container)).toEqual([]);
      await fireEvent.click(screen.getByTestId("phase-recovery"));
      await fireEvent.input(await screen.findByTestId("param-InstanceId"), {
        target: { value: "i-0000000000000001" },
      });
      await fireEvent.click(screen.getByTestId("runbook-review"));
      await confirmChange(await screen.findByTestId("runbook-preview"), "runbook-preview");
      await waitFor(() => expect(screen.getByTestId("verification-headline")).toBeTruthy(), {
        timeout: 5000,
      });
      expect(screen.getAllByTestId("verification-before")).toHaveLength(5);
      for (const details of page.container.querySelectorAll("details")) details.open = true;
      expect(await violations(page.container)).toEqual([]);
      initial.phase = "analysis";
      await screen.findAllByTestId("timeline-entry");
      expect(await violations(page.container)).toEqual([]);
    },
    LONG,
  );

  it(
    "analysis with earlier incidents, the new-incident form and the journal's notices",
    async () => {
      const journal = new FakeJournal();
      journal.problem = { message: "file is not a database", setAside: "/data/journal.old" };
      journal.handle("journal_open_incident", {
        account: "practice",
        title: "Disk full",
        at: "2026-11-27T08:00:00Z",
      });
      journal.handle("journal_close_incident", { incidentId: 1, at: "2026-11-27T09:00:00Z" });
      incidentBackend(["journal_record"], undefined, journal);
      const { page, initial } = show();
      initial.journal.add({
        kind: "change",
        at: "2026-11-28T10:04:00Z",
        region: "ap-northeast-1",
        title: "Enable Default Host Management",
        cli: "aws ssm update-service-setting",
        outcome: "success",
        result: "",
      });
      initial.phase = "analysis";
      await screen.findByTestId("journal-write-error");
      await screen.findByTestId("incident-item");
      await fireEvent.click(screen.getByTestId("incident-new"));
      await screen.findByTestId("incident-new-form");
      expect(screen.getByTestId("entry-unsaved")).toBeTruthy();
      expect(screen.getByTestId("journal-problem")).toBeTruthy();
      expect(await violations(page.container)).toEqual([]);
    },
    LONG,
  );

  it(
    "the new tools: a composite alarm with its history, streamed Logs Insights rows with a refused query, CloudTrail by who with an event's JSON, the generated runbook form with history, a mixed Run Command and a missing capability",
    async () => {
      const backend = incidentBackend();
      backend.holdInsights = true;
      const { page, initial } = show();
      await waitFor(() => expect(screen.getAllByTestId("history-item").length).toBeGreaterThan(0));
      await initial.triage.chart("practice", COMPOSITE, "2026-11-28T10:04:00Z");
      await screen.findByTestId("no-metric");
      expect(await violations(page.container)).toEqual([]);

      await fireEvent.click(screen.getByTestId("phase-diagnosis"));
      await waitFor(() => expect(screen.getAllByTestId("log-group")).toHaveLength(2));
      await fireEvent.click(screen.getByTestId("insights-run"));
      await waitFor(() => expect(screen.getAllByTestId("insights-row")).toHaveLength(1));
      expect(await violations(page.container)).toEqual([]);
      backend.finishInsights("Complete");
      await screen.findByTestId("insights-summary");
      await fireEvent.click(screen.getAllByTestId("trail-expand")[0] as HTMLElement);
      expect(await violations(page.container)).toEqual([]);
      await fireEvent.input(screen.getByTestId("insights-query"), { target: { value: "BAD" } });
      await fireEvent.click(screen.getByTestId("insights-run"));
      await screen.findByTestId("insights-query-error");
      await fireEvent.click(screen.getByTestId("trail-view-who"));
      expect(await violations(page.container)).toEqual([]);

      await fireEvent.click(screen.getByTestId("phase-recovery"));
      const field = await screen.findByTestId("param-InstanceId");
      await fireEvent.input(field, { target: { value: "not an id" } });
      await screen.findByTestId("param-problem-InstanceId");
      await screen.findAllByTestId("recent-command");
      expect(await violations(page.container)).toEqual([]);

      await fireEvent.click(screen.getByTestId("phase-mitigation"));
      await fireEvent.click(await screen.findByTestId("target-i-0000000000000005"));
      await fireEvent.click(screen.getByTestId("target-i-0000000000000001"));
      await screen.findByTestId("mixed-platforms");
      expect(await violations(page.container)).toEqual([]);

      initial.capabilities = ["fleet", "sessions", "metrics"];
      initial.phase = "recovery";
      await screen.findByTestId("unavailable-automation");
      expect(await violations(page.container)).toEqual([]);
    },
    LONG,
  );
});
