import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks } from "../../lib/ipc/testing";
import { ACCOUNTS } from "../../test/fixtures";
import { incidentBackend } from "../../test/incident-fixtures";
import { sent, show } from "../../test/incident-render";
import { FakeJournal } from "../../test/journal-fixtures";

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

/** A journal with an open incident holding one Run Command. */
function withIncident(): FakeJournal {
  const journal = new FakeJournal();
  journal.handle("journal_open_incident", {
    account: "practice",
    title: "sshd down on web-prod-1",
    at: "2026-11-28T10:00:00Z",
  });
  journal.handle("journal_record", {
    entry: {
      account: "practice",
      region: "ap-northeast-1",
      kind: "command",
      title: "AWS-RunShellScript: systemctl start sshd → i-0000000000000001",
      apiCall: "ssm:SendCommand",
      cli: "aws ssm send-command",
      outcome: "success",
      result: "i-0000000000000001 Success (0)",
      at: "2026-11-28T10:20:00Z",
    },
  });
  return journal;
}

describe("Analysis", { timeout: 20_000 }, () => {
  it("sets the incident's state, and a status change goes on the activity log", async () => {
    const journal = withIncident();
    const backend = incidentBackend([], undefined, journal);
    show(backend, "analysis");
    const state = await screen.findByTestId("incident-state");
    await fireEvent.change(within(state).getByTestId("state-severity"), {
      target: { value: "sev2" },
    });
    await fireEvent.change(within(state).getByTestId("state-status"), {
      target: { value: "identified" },
    });
    await fireEvent.input(within(state).getByTestId("state-summary"), {
      target: { value: "A config push stopped sshd." },
    });
    await fireEvent.input(within(state).getByTestId("state-affected"), {
      target: { value: "i-0000000000000001, web-prod-1-status ," },
    });
    await fireEvent.click(within(state).getByTestId("state-save"));
    await waitFor(() => expect(sent(backend, "journal_update_details")).toHaveLength(1));
    expect(sent(backend, "journal_update_details")[0]?.args.details).toEqual({
      title: "sshd down on web-prod-1",
      severity: "sev2",
      status: "identified",
      summary: "A config push stopped sshd.",
      affected: ["i-0000000000000001", "web-prod-1-status"],
    });
    // The app tells the window; the activity log shows the change without reopening.
    await waitFor(() =>
      expect(screen.getAllByTestId("timeline-entry").at(-1)?.textContent).toContain(
        "Severity Not set → SEV2; Status Investigating → Identified",
      ),
    );
    expect(screen.getAllByTestId("incident-item")[0]?.textContent).toContain("SEV2");
  });

  it("curates a story: a note, an entry promoted, marked detected and re-timed", async () => {
    const journal = withIncident();
    const backend = incidentBackend([], undefined, journal);
    show(backend, "analysis");
    await screen.findByTestId("note-form");
    await fireEvent.input(screen.getByTestId("note-text"), {
      target: { value: "Support says logins fail\nsince 09:55" },
    });
    await fireEvent.click(screen.getByTestId("note-add"));
    await waitFor(() => expect(journal.entries).toHaveLength(2));
    expect(journal.entries[1]).toMatchObject({
      kind: "note",
      title: "Support says logins fail",
      detail: "Support says logins fail\nsince 09:55",
    });
    expect(screen.getAllByTestId("entry-detail")[0]?.textContent).toContain("since 09:55");

    expect(screen.getByTestId("story-empty")).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId("entry-promote")).toHaveLength(2));
    await fireEvent.click(screen.getAllByTestId("entry-promote")[1] as HTMLElement);
    const story = await screen.findByTestId("story-entry");
    await fireEvent.click(within(story).getByTestId("story-edit-open"));
    await fireEvent.change(screen.getByTestId("story-edit-moment"), {
      target: { value: "detected" },
    });
    await fireEvent.input(screen.getByTestId("story-edit-at"), {
      target: { value: "2026-11-28T09:55:00Z" },
    });
    await fireEvent.input(screen.getByTestId("story-edit-annotation"), {
      target: { value: "First report from support" },
    });
    await fireEvent.click(screen.getByTestId("story-edit-save"));
    await waitFor(() => expect(screen.getByTestId("story-moment").textContent).toBe("Detected"));
    expect(screen.getByTestId("story-retimed").textContent).toContain("recorded");
    expect(sent(backend, "journal_edit_story")[0]?.args).toMatchObject({
      entryId: 2,
      edit: {
        moment: "detected",
        happenedAt: "2026-11-28T09:55:00Z",
        annotation: "First report from support",
      },
    });
    // The entry is on the timeline now; the activity log says so instead of offering it.
    expect(screen.getByTestId("entry-on-timeline")).toBeTruthy();
  });

  it("drafts a status update, copies it and records it as sent", async () => {
    const journal = withIncident();
    const backend = incidentBackend([], undefined, journal);
    show(backend, "analysis");
    await fireEvent.click(await screen.findByTestId("update-draft"));
    const text = (await screen.findByTestId("update-text")) as HTMLTextAreaElement;
    expect(text.value).toContain("sshd down on web-prod-1: investigating");
    expect(sent(backend, "journal_status_update")[0]?.args).toMatchObject({
      incidentId: 1,
      language: "en",
      now: "2026-11-28T10:04:00Z",
      nextUpdate: "2026-11-28T10:34:00Z",
    });
    await fireEvent.click(screen.getByTestId("update-sent"));
    await waitFor(() =>
      expect(journal.entries.at(-1)).toMatchObject({ kind: "statusUpdate", detail: text.value }),
    );
  });

  it("writes the review from its template, with action items, and saves an HTML report", async () => {
    const journal = withIncident();
    const backend = incidentBackend([], undefined, journal);
    show(backend, "analysis");
    await fireEvent.click(await screen.findByTestId("review-start"));
    const rootCause = await screen.findByTestId("review-rootCause");
    await fireEvent.input(rootCause, { target: { value: "A config push stopped sshd." } });
    await fireEvent.click(screen.getByTestId("review-save"));
    await waitFor(() =>
      expect(journal.reviews.get(1)?.review.rootCause).toBe("A config push stopped sshd."),
    );
    expect(journal.reviews.get(1)?.language).toBe("en");

    await fireEvent.input(screen.getByTestId("action-item-text"), {
      target: { value: "Alarm when sshd stops" },
    });
    await fireEvent.input(screen.getByTestId("action-item-owner"), { target: { value: "aki" } });
    await fireEvent.click(screen.getByTestId("action-item-add"));
    const item = await screen.findByTestId("action-item");
    expect(item.textContent).toContain("Alarm when sshd stops");
    expect(item.textContent).toContain("owner aki");
    await fireEvent.click(within(item).getByTestId("action-item-done"));
    await waitFor(() => expect(journal.items[0]?.done).toBe(true));

    await fireEvent.change(screen.getByTestId("report-format"), { target: { value: "html" } });
    await fireEvent.click(screen.getByTestId("report-download"));
    await waitFor(() =>
      expect(screen.getByTestId("report-notice").textContent).toContain(
        "/home/kenji/Downloads/unyo-incident-1.html",
      ),
    );
    expect(journal.reports.at(-1)).toEqual({ incidentId: 1, language: "en", format: "html" });
  });

  it("finds incidents, deletes one only when confirmed, and reopens a closed one", async () => {
    const journal = withIncident();
    journal.handle("journal_open_incident", {
      account: "practice",
      title: "disk full on batch-worker-1",
      at: "2026-11-28T11:00:00Z",
    });
    const backend = incidentBackend([], undefined, journal);
    show(backend, "analysis");
    await waitFor(() => expect(screen.getAllByTestId("incident-item")).toHaveLength(2));
    await fireEvent.input(screen.getByTestId("list-search"), { target: { value: "SSHD" } });
    await waitFor(() => expect(screen.getAllByTestId("incident-item")).toHaveLength(1));
    expect(screen.getByTestId("incident-item").textContent).toContain("sshd down on web-prod-1");

    await fireEvent.click(screen.getByTestId("incident-reopen-1"));
    await waitFor(() => expect(journal.incidents[0]?.closedAt).toBeNull());
    await waitFor(() =>
      expect(screen.getByTestId("incident-title").textContent).toContain("sshd down on web-prod-1"),
    );

    await fireEvent.input(screen.getByTestId("list-search"), { target: { value: "" } });
    await waitFor(() => expect(screen.getAllByTestId("incident-item")).toHaveLength(2));
    await fireEvent.click(screen.getByTestId("incident-delete-2"));
    expect(journal.incidents).toHaveLength(2);
    await fireEvent.click(screen.getByTestId("incident-delete-confirm-2"));
    await waitFor(() => expect(journal.incidents).toHaveLength(1));
    await waitFor(() => expect(screen.getAllByTestId("incident-item")).toHaveLength(1));
  });

  it("pins the alarm and its chart from triage, and analysis shows what was pinned", async () => {
    const journal = withIncident();
    const backend = incidentBackend([], undefined, journal);
    show(backend, "triage");
    await fireEvent.click(await screen.findByTestId("pin-alarm"));
    await waitFor(() => expect(journal.entries.at(-1)?.kind).toBe("pin"));
    const alarm = JSON.parse(journal.entries.at(-1)?.detail ?? "null");
    expect(alarm).toMatchObject({ kind: "alarm", state: "ALARM" });
    expect(screen.getByTestId("pin-alarm").textContent?.trim()).toBe("Pinned");
    await fireEvent.click(await screen.findByTestId("pin-chart"));
    await waitFor(() => expect(journal.entries).toHaveLength(3));
    const chart = JSON.parse(journal.entries.at(-1)?.detail ?? "null");
    expect(chart.kind).toBe("chart");
    expect(chart.points.length).toBeGreaterThan(0);
    expect(chart.start < chart.end).toBe(true);

    await fireEvent.click(screen.getByTestId("phase-analysis"));
    await waitFor(() => expect(screen.getAllByTestId("entry-pin")).toHaveLength(2));
    expect(screen.getAllByTestId("entry-pin")[0]?.textContent).toContain("ALARM");
  });

  it("mirrors the incident to OpsCenter only after showing the OpsItem and its price", async () => {
    const journal = withIncident();
    journal.handle("journal_update_details", {
      incidentId: 1,
      details: {
        title: "sshd down on web-prod-1",
        severity: "sev2",
        status: "identified",
        summary: "A config push stopped sshd.",
        affected: ["i-0000000000000001"],
      },
      at: "2026-11-28T10:03:00Z",
    });
    const backend = incidentBackend([], undefined, journal);
    show(backend, "analysis", () => {}, [...ACCOUNTS.practice.capabilities, "opsCenter"]);
    await fireEvent.click(await screen.findByTestId("opscenter-review"));
    const preview = await screen.findByTestId("opscenter-preview");
    expect(within(preview).getByTestId("opscenter-title").textContent).toBe(
      "sshd down on web-prod-1",
    );
    expect(preview.textContent).toContain(
      "arn:aws:ec2:ap-northeast-1:123456789012:instance/i-0000000000000001",
    );
    expect(within(preview).getByTestId("opscenter-estimate-figure").textContent).toBe("$0.00297");
    expect(sent(backend, "mirror_to_ops_center")).toHaveLength(0);
    await fireEvent.click(within(preview).getByTestId("opscenter-create"));
    await waitFor(() =>
      expect(screen.getByTestId("opscenter-created").textContent).toContain("oi-0123456789ab"),
    );
    await waitFor(() =>
      expect(screen.getAllByTestId("timeline-entry").at(-1)?.textContent).toContain(
        "OpsItem oi-0123456789ab",
      ),
    );
  });

  it("offers no OpsCenter mirror on an account without it", async () => {
    const backend = incidentBackend([], undefined, withIncident());
    show(backend, "analysis");
    await screen.findByTestId("report-format");
    expect(screen.queryByTestId("opscenter")).toBeNull();
    expect(screen.getByTestId("unavailable-opsCenter").textContent).toContain(
      "This account has no OpsCenter in Unyo",
    );
  });
});
