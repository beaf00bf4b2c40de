import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, emit } from "../../lib/ipc/testing";
import { confirmChange } from "../../test/confirm-change";
import { incidentBackend } from "../../test/incident-fixtures";
import { sent, show } from "../../test/incident-render";
import { FakeJournal } from "../../test/journal-fixtures";

const SLOW = { timeout: 5000 };

/** A Run Command as the journal holds it from an earlier run. */
const STORED = {
  account: "practice",
  region: "ap-northeast-1",
  kind: "command",
  title: "AWS-RunShellScript: uptime → i-0000000000000001",
  apiCall: "ssm:SendCommand",
  cli: "aws ssm send-command",
  outcome: "success",
  result: "i-0000000000000001 Success (0)",
  at: "2026-11-28T09:50:00Z",
};

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

// Cases that follow a command or a runbook wait for its polls, a second or more each.
const LONG = 20_000;

describe("IncidentScreen", { timeout: LONG }, () => {
  it("triage lists the firing alarm first, with its reason, and charts its metric against the threshold", async () => {
    show(incidentBackend());
    await waitFor(() => expect(screen.getAllByTestId("alarm-row")).toHaveLength(3));
    const [first] = screen.getAllByTestId("alarm-row");
    expect(first?.dataset.state).toBe("ALARM");
    expect(first?.textContent).toContain("In alarm");
    expect(first?.textContent).toContain("2026-11-28 09:37:00 UTC");
    expect(first?.textContent).toContain("Threshold Crossed");
    await waitFor(() =>
      expect(screen.getByTestId("metric-caption").textContent).toContain(
        "latest 97.1 Percent at 10:03:00 UTC; threshold 80; 2 of 3 points beyond it",
      ),
    );
    expect(screen.getByTestId("phase-explain").textContent).toContain("CloudWatch alarms");
  });

  it("mitigation previews the exact call and sends nothing until Run, then shows each instance's output", async () => {
    const backend = incidentBackend();
    show(backend, "mitigation");
    const target = await screen.findByTestId("target-i-0000000000000001");
    await fireEvent.click(target);
    await fireEvent.click(screen.getByTestId("command-review"));
    const preview = await screen.findByTestId("command-preview");
    expect(within(preview).getByTestId("command-preview-api").textContent).toBe("ssm:SendCommand");
    expect(within(preview).getByTestId("command-preview-cli").textContent).toContain(
      "Values=i-0000000000000001",
    );
    expect(within(preview).getByTestId("command-preview-cost").textContent).toContain("Free");
    expect(sent(backend, "send_command")).toHaveLength(0);
    await confirmChange(preview, "command-preview");
    await waitFor(
      () => expect(screen.getByTestId("invocation-status").textContent).toBe("Success"),
      SLOW,
    );
    expect(screen.getByTestId("invocation-output").textContent).toContain("/dev/xvda1  41%");
    expect(sent(backend, "send_command")[0]?.args.request).toMatchObject({
      documentName: "AWS-RunShellScript",
      instanceIds: ["i-0000000000000001"],
      commands: ["df -h", "systemctl is-active sshd"],
    });
  });

  it("a session the app recorded shows on the timeline without reopening the incident", async () => {
    const backend = incidentBackend();
    show(backend, "analysis");
    await screen.findByTestId("incident-title");
    // The app records shells and tunnels itself, wherever they are opened, and tells every
    // window that the journal changed.
    backend.journal.handle("journal_record", {
      entry: {
        account: "practice",
        region: "ap-northeast-1",
        kind: "session",
        title: "Session Manager shell → i-0000000000000001",
        apiCall: "ssm:StartSession",
        cli: "aws ssm start-session --target i-0000000000000001 --region ap-northeast-1",
        outcome: "running",
        result: "session s-1",
        at: "2026-11-28T10:06:00Z",
      },
    });
    await emit("journal-changed", { incidentId: 1 });
    const entry = await screen.findByTestId("timeline-entry");
    expect(entry.textContent).toContain("Session Manager shell → i-0000000000000001");
    // Its end, written by the app when the shell closes, replaces "running".
    backend.journal.handle("journal_update", {
      id: 1,
      outcome: "success",
      result: "the shell exited with status 0 after 2 min 05 s",
    });
    await emit("journal-changed", { incidentId: null });
    await waitFor(() =>
      expect(screen.getByTestId("timeline-entry").textContent).toContain(
        "the shell exited with status 0 after 2 min 05 s",
      ),
    );
  });

  it("recovery offers the user's own check, judged by its exit status, after a runbook with no checks of its own", async () => {
    const backend = incidentBackend([], "inactive\n");
    show(backend, "recovery");
    await screen.findByTestId("param-InstanceId");
    await fireEvent.change(screen.getByTestId("runbook-select"), {
      target: { value: "AWS-RestartEC2Instance" },
    });
    await waitFor(() => expect(screen.queryByTestId("param-Action")).toBeNull());
    await fireEvent.input(screen.getByTestId("param-InstanceId"), {
      target: { value: "i-0000000000000001" },
    });
    await fireEvent.click(screen.getByTestId("runbook-review"));
    const preview = await screen.findByTestId("runbook-preview");
    expect(sent(backend, "start_automation")).toHaveLength(0);
    expect(screen.queryByTestId("verify-prompt")).toBeNull();
    // Before anything runs, each step says what it does: both of these change the instance.
    const steps = screen.getAllByTestId("runbook-step");
    expect(steps.map((s) => s.dataset.effect)).toEqual(["changes", "changes"]);
    expect(steps[0]?.textContent).toContain("stopInstances");
    expect(steps[0]?.textContent).toContain("changes resources");
    // It can change resources: Run waits for the instance's id to be typed.
    expect((within(preview).getByTestId("runbook-preview-run") as HTMLButtonElement).disabled).toBe(
      true,
    );
    await confirmChange(preview, "runbook-preview");
    await waitFor(
      () => expect(screen.getByTestId("execution-status").dataset.status).toBe("Success"),
      SLOW,
    );
    const prompt = screen.getByTestId("verify-prompt");
    expect(prompt.textContent).toContain("no built-in checks");
    expect(prompt.textContent).toContain("exit status alone");
    // A runbook with no checks has no baseline and no verification of its own.
    expect(sent(backend, "verify_instance")).toHaveLength(0);
    expect(screen.queryByTestId("verification")).toBeNull();
    await waitFor(() =>
      expect(screen.getByTestId("verify-cli").textContent).toContain("send-command"),
    );
    await fireEvent.click(screen.getByTestId("verify-run"));
    await waitFor(
      () =>
        expect(screen.getByTestId("verify-verdict").textContent).toContain("exited with an error"),
      SLOW,
    );
    expect(sent(backend, "send_command")[0]?.args.request).toMatchObject({
      commands: ["systemctl is-active sshd", "uptime"],
    });
  });

  it("a failing log-group listing is reported in its panel while CloudTrail still shows its events", async () => {
    show(incidentBackend(["list_log_groups"]), "diagnosis");
    await waitFor(() =>
      expect(screen.getByTestId("log-groups-error").textContent).toContain(
        "list_log_groups is not available",
      ),
    );
    await waitFor(() => expect(screen.getAllByTestId("trail-row")).toHaveLength(2));
    await fireEvent.input(screen.getByTestId("trail-filter-user"), { target: { value: "kenji" } });
    expect(screen.getAllByTestId("trail-row")).toHaveLength(1);
  });

  it("runs a Logs Insights template and shows its rows", async () => {
    const backend = incidentBackend();
    show(backend, "diagnosis");
    await waitFor(() => expect(screen.getAllByTestId("log-group")).toHaveLength(2));
    await fireEvent.change(screen.getByTestId("insights-template"), {
      target: { value: "latest-errors" },
    });
    await fireEvent.click(screen.getByTestId("insights-run"));
    await waitFor(() => expect(screen.getAllByTestId("insights-row")).toHaveLength(2));
    expect(screen.getByTestId("insights-results").textContent).toContain(
      "ERROR upstream timed out",
    );
    expect(sent(backend, "run_logs_insights")[0]?.args.query).toMatchObject({
      region: "ap-northeast-1",
      logGroups: ["/storefront/app"],
      start: "2026-11-28T07:04:00Z",
      end: "2026-11-28T10:04:00Z",
    });
  });

  it("analysis lists what was done from the journal, with its result, and saves the report", async () => {
    const backend = incidentBackend();
    show(backend, "mitigation");
    await fireEvent.click(await screen.findByTestId("target-i-0000000000000001"));
    await fireEvent.click(screen.getByTestId("command-review"));
    await confirmChange(await screen.findByTestId("command-preview"), "command-preview");
    await waitFor(() => expect(backend.journal.entries[1]?.outcome).toBe("success"), SLOW);
    await fireEvent.click(screen.getByTestId("phase-analysis"));
    // The change record went on the incident before the command, with who confirmed it.
    const [record, entry] = (await screen.findAllByTestId("timeline-entry")) as HTMLElement[];
    expect(record?.textContent).toContain("Change record");
    expect(record?.textContent).toContain("Recorded");
    expect(record?.textContent).toContain("Why: sshd is down on the bastion");
    expect(record?.textContent).toContain("Rollback: restore sshd_config from its backup");
    expect(record?.textContent).toContain("Confirmed by: tester");
    if (!entry) throw new Error("the command is not on the timeline");
    expect(entry.textContent).toContain("2026-11-28 10:04:00 UTC");
    expect(entry.textContent).toContain("Run Command");
    expect(entry.textContent).toContain("Succeeded");
    expect(entry.textContent).toContain("i-0000000000000001 Success (0)");
    expect(entry.textContent).toContain("API call: ssm:SendCommand");
    expect(within(entry).queryByTestId("entry-unsaved")).toBeNull();
    expect(screen.getByTestId("incident-title").textContent).toContain("Untitled incident");
    expect(screen.getByTestId("incident-when").textContent).toContain(
      "Opened 2026-11-28 10:04:00 UTC · open",
    );
    await fireEvent.click(screen.getByTestId("report-download"));
    await waitFor(() =>
      expect(screen.getByTestId("report-notice").textContent).toContain(
        "Saved to /home/kenji/Downloads/unyo-incident-1.md.",
      ),
    );
    expect(sent(backend, "journal_save_report")[0]?.args).toMatchObject({
      incidentId: 1,
      language: "en",
      exportedAt: "2026-11-28T10:04:00Z",
    });
  });

  it("after a restart the timeline is read back; incidents close, start with a title and stay listed", async () => {
    const journal = new FakeJournal();
    journal.problem = {
      message: "file is not a database",
      setAside: "/data/unyo/journal.sqlite3.unreadable-20261128T100400Z",
    };
    journal.handle("journal_open_incident", {
      account: "practice",
      title: "Disk full on web-prod-1",
      at: "2026-11-27T08:00:00Z",
    });
    journal.handle("journal_record", {
      entry: { ...STORED, title: "yesterday's check", at: "2026-11-27T08:05:00Z" },
    });
    journal.handle("journal_close_incident", { incidentId: 1, at: "2026-11-27T09:00:00Z" });
    journal.handle("journal_record", { entry: STORED });
    const backend = incidentBackend([], undefined, journal);
    show(backend, "analysis");
    const entry = await screen.findByTestId("timeline-entry");
    expect(entry.textContent).toContain("AWS-RunShellScript: uptime → i-0000000000000001");
    expect(entry.textContent).toContain("i-0000000000000001 Success (0)");
    expect(screen.getByTestId("journal-problem").textContent).toContain(
      "It was moved to /data/unyo/journal.sqlite3.unreadable-20261128T100400Z",
    );
    // Every incident is listed, newest first: the open one, then yesterday's.
    await waitFor(() => expect(screen.getAllByTestId("incident-item")).toHaveLength(2));
    const earlier = screen.getAllByTestId("incident-item")[1] as HTMLElement;
    expect(earlier.textContent).toContain("Disk full on web-prod-1");
    expect(earlier.textContent).toContain("1 action");
    await fireEvent.click(within(earlier).getByTestId("incident-show-1"));
    await waitFor(() =>
      expect(screen.getByTestId("incident-title").textContent).toContain("Disk full on web-prod-1"),
    );
    await waitFor(() =>
      expect(screen.getByTestId("timeline-entry").textContent).toContain("yesterday's check"),
    );
    await fireEvent.click(screen.getByTestId("incident-back"));

    await fireEvent.click(screen.getByTestId("incident-close"));
    await waitFor(() =>
      expect(screen.getByTestId("incident-title").textContent).toContain("No open incident"),
    );
    expect(screen.getByTestId("timeline-empty")).toBeTruthy();
    await waitFor(() =>
      expect(screen.getAllByTestId("incident-item")[0]?.textContent).toContain("Reopen"),
    );

    await fireEvent.click(screen.getByTestId("incident-new"));
    await fireEvent.input(screen.getByTestId("incident-new-title"), {
      target: { value: "sshd stopped" },
    });
    await fireEvent.click(screen.getByTestId("incident-new-open"));
    await waitFor(() =>
      expect(screen.getByTestId("incident-title").textContent).toContain("sshd stopped"),
    );
    expect(sent(backend, "journal_open_incident")[0]?.args).toMatchObject({
      account: "practice",
      title: "sshd stopped",
      at: "2026-11-28T10:04:00Z",
    });
    expect(journal.incidents.at(-1)).toMatchObject({ title: "sshd stopped", closedAt: null });
  });

  it("an action the journal could not record keeps its result on screen, says so, and saves on retry", async () => {
    const fail = ["journal_record"];
    const backend = incidentBackend(fail);
    show(backend, "mitigation");
    await fireEvent.click(await screen.findByTestId("target-i-0000000000000001"));
    await fireEvent.click(screen.getByTestId("command-review"));
    await confirmChange(await screen.findByTestId("command-preview"), "command-preview");
    await waitFor(
      () => expect(screen.getByTestId("invocation-status").textContent).toBe("Success"),
      SLOW,
    );
    const alert = await screen.findByTestId("journal-write-error");
    expect(alert.textContent).toContain("Shown here but not saved in the incident journal");
    expect(alert.textContent).toContain("journal_record is not available");
    await fireEvent.click(screen.getByTestId("phase-analysis"));
    const entry = (await screen.findAllByTestId("timeline-entry"))[1] as HTMLElement;
    expect(entry.textContent).toContain("i-0000000000000001 Success (0)");
    expect(within(entry).getByTestId("entry-unsaved").textContent).toContain("Not saved");

    fail.length = 0;
    await fireEvent.click(screen.getByTestId("journal-retry"));
    await waitFor(() => expect(screen.queryByTestId("journal-write-error")).toBeNull());
    expect(screen.queryByTestId("entry-unsaved")).toBeNull();
    expect(backend.journal.entries).toEqual([
      expect.objectContaining({ kind: "changeRecord", outcome: "success" }),
      expect.objectContaining({ outcome: "success", result: "i-0000000000000001 Success (0)" }),
    ]);
  });
});
