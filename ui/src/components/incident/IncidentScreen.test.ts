import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AccountsStore } from "../../lib/accounts/accounts.svelte";
import { IncidentStore } from "../../lib/incident/incident.svelte";
import { clearMocks } from "../../lib/ipc/testing";
import { ACCOUNTS } from "../../test/fixtures";
import { ALARM, type Backend, incidentBackend } from "../../test/incident-fixtures";
import { FakeJournal } from "../../test/journal-fixtures";
import IncidentScreen from "./IncidentScreen.svelte";

const SLOW = { timeout: 5000 };

function accounts(capabilities = ACCOUNTS.practice.capabilities): AccountsStore {
  const store = new AccountsStore();
  store.list = { ...ACCOUNTS, practice: { ...ACCOUNTS.practice, capabilities } };
  store.region = "ap-northeast-1";
  return store;
}

function show(
  backend: Backend,
  phase: IncidentStore["phase"] = "triage",
  prepare: (store: IncidentStore) => void = () => {},
  capabilities = ACCOUNTS.practice.capabilities,
) {
  const initial = new IncidentStore("practice");
  initial.phase = phase;
  prepare(initial);
  const page = render(IncidentScreen, { accounts: accounts(capabilities), initial });
  return { page, initial, backend };
}

const sent = (backend: Backend, cmd: string) => backend.calls.filter((c) => c.cmd === cmd);

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
    await fireEvent.click(within(preview).getByTestId("command-preview-run"));
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

  it("a shell opened from mitigation goes on the incident's timeline", async () => {
    const backend = incidentBackend();
    show(backend, "mitigation");
    await fireEvent.click(await screen.findByTestId("shell-i-0000000000000001"));
    await waitFor(() =>
      expect(backend.journal.entries).toEqual([
        expect.objectContaining({
          kind: "session",
          apiCall: "ssm:StartSession",
          cli: "aws ssm start-session --target i-0000000000000001 --region ap-northeast-1",
          outcome: "success",
        }),
      ]),
    );
    await fireEvent.click(screen.getByTestId("phase-analysis"));
    const entry = await screen.findByTestId("timeline-entry");
    expect(entry.textContent).toContain("Session");
    expect(entry.textContent).toContain("Session Manager shell → i-0000000000000001");
  });

  it("recovery asks to verify after Success, and says plainly when the check fails", async () => {
    const backend = incidentBackend([], "inactive\n");
    show(backend, "recovery");
    const instanceField = await screen.findByTestId("param-InstanceId");
    await fireEvent.input(instanceField, { target: { value: "i-0000000000000001" } });
    await fireEvent.change(screen.getByTestId("param-Action"), { target: { value: "FixAll" } });
    await fireEvent.click(screen.getByTestId("runbook-review"));
    const preview = await screen.findByTestId("runbook-preview");
    expect(within(preview).getByTestId("runbook-preview-cost").textContent).toContain("$0.002");
    expect(sent(backend, "start_automation")).toHaveLength(0);
    expect(screen.queryByTestId("verify-prompt")).toBeNull();
    await fireEvent.click(within(preview).getByTestId("runbook-preview-run"));
    await waitFor(
      () => expect(screen.getByTestId("execution-status").dataset.status).toBe("Success"),
      SLOW,
    );
    const prompt = screen.getByTestId("verify-prompt");
    expect(prompt.textContent).toContain("Success is not proof");
    expect(sent(backend, "start_automation")[0]?.args.request).toMatchObject({
      parameters: { InstanceId: ["i-0000000000000001"], Action: ["FixAll"] },
    });
    await waitFor(() =>
      expect(screen.getByTestId("verify-cli").textContent).toContain("send-command"),
    );
    await fireEvent.click(screen.getByTestId("verify-run"));
    await waitFor(
      () => expect(screen.getByTestId("verify-verdict").textContent).toContain("Not fixed"),
      SLOW,
    );
    expect(sent(backend, "send_command")[0]?.args.request).toMatchObject({
      commands: ["systemctl is-active sshd", "sshd -t && echo 'sshd_config OK'"],
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
    await fireEvent.click(await screen.findByTestId("command-preview-run"));
    await waitFor(() => expect(backend.journal.entries[0]?.outcome).toBe("success"), SLOW);
    await fireEvent.click(screen.getByTestId("phase-analysis"));
    const entry = await screen.findByTestId("timeline-entry");
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
    const earlier = await screen.findByTestId("incident-item");
    expect(earlier.textContent).toContain("Disk full on web-prod-1");
    expect(earlier.textContent).toContain("1 action");
    await fireEvent.click(within(earlier).getByTestId("incident-show-1"));
    await waitFor(() =>
      expect(screen.getByTestId("incident-title").textContent).toContain("Disk full on web-prod-1"),
    );
    expect(screen.getByTestId("timeline-entry").textContent).toContain("yesterday's check");
    await fireEvent.click(screen.getByTestId("incident-back"));

    await fireEvent.click(screen.getByTestId("incident-close"));
    await waitFor(() =>
      expect(screen.getByTestId("incident-title").textContent).toContain("No open incident"),
    );
    expect(screen.getByTestId("timeline-empty")).toBeTruthy();
    expect(screen.getAllByTestId("incident-item")).toHaveLength(2);

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
    await fireEvent.click(await screen.findByTestId("command-preview-run"));
    await waitFor(
      () => expect(screen.getByTestId("invocation-status").textContent).toBe("Success"),
      SLOW,
    );
    const alert = await screen.findByTestId("journal-write-error");
    expect(alert.textContent).toContain("Shown here but not saved in the incident journal");
    expect(alert.textContent).toContain("journal_record is not available");
    await fireEvent.click(screen.getByTestId("phase-analysis"));
    const entry = await screen.findByTestId("timeline-entry");
    expect(entry.textContent).toContain("i-0000000000000001 Success (0)");
    expect(within(entry).getByTestId("entry-unsaved").textContent).toContain("Not saved");

    fail.length = 0;
    await fireEvent.click(screen.getByTestId("journal-retry"));
    await waitFor(() => expect(screen.queryByTestId("journal-write-error")).toBeNull());
    expect(screen.queryByTestId("entry-unsaved")).toBeNull();
    expect(backend.journal.entries).toEqual([
      expect.objectContaining({ outcome: "success", result: "i-0000000000000001 Success (0)" }),
    ]);
  });

  it("triage shows a composite alarm's rule and state and says there is no single metric to chart", async () => {
    const backend = incidentBackend();
    show(backend);
    await waitFor(() => expect(screen.getAllByTestId("alarm-row")).toHaveLength(3));
    const composite = screen
      .getAllByTestId("alarm-row")
      .find((row) => row.dataset.kind === "composite");
    if (!composite) throw new Error("no composite row");
    expect(composite.textContent).toContain("Composite");
    await fireEvent.click(within(composite).getByTestId("alarm-name"));
    await waitFor(() =>
      expect(screen.getByTestId("alarm-rule").textContent).toContain(
        'ALARM("web-prod-1-cpu-high") OR ALARM("alb-5xx")',
      ),
    );
    expect(screen.getByTestId("no-metric").textContent).toContain("No single metric to chart");
    expect(screen.getByTestId("alarm-reason").textContent).toContain("transitioned to ALARM");
    expect(screen.queryByTestId("metric-chart")).toBeNull();
    // Only the first (metric) alarm was charted; the composite one asked for no series.
    expect(sent(backend, "get_metric_series")).toHaveLength(1);
  });

  it("triage says since when the alarm has been in ALARM from its history, and lists the transitions", async () => {
    const backend = incidentBackend();
    show(backend);
    await waitFor(() =>
      expect(screen.getByTestId("alarm-since").textContent).toContain(
        "In alarm since 2026-11-28 09:37:00 UTC",
      ),
    );
    const items = screen.getAllByTestId("history-item");
    expect(items).toHaveLength(3);
    expect(items[1]?.textContent).toContain("Alarm updated from ALARM to OK");
    expect(sent(backend, "alarm_history")[0]?.args).toEqual({
      account: "practice",
      region: "ap-northeast-1",
      alarmName: ALARM.name,
    });
  });

  it("Logs Insights shows partial rows while the query runs, then its statistics with bytes scanned", async () => {
    const backend = incidentBackend();
    backend.holdInsights = true;
    show(backend, "diagnosis");
    await waitFor(() => expect(screen.getAllByTestId("log-group")).toHaveLength(2));
    await fireEvent.click(screen.getByTestId("insights-run"));
    await waitFor(() => expect(screen.getAllByTestId("insights-row")).toHaveLength(1));
    expect(screen.getByTestId("insights-status").dataset.status).toBe("Running");
    expect(screen.queryByTestId("insights-summary")).toBeNull();
    backend.finishInsights("Complete");
    await waitFor(() => expect(screen.getAllByTestId("insights-row")).toHaveLength(2));
    expect(screen.getByTestId("insights-status").dataset.status).toBe("Complete");
    expect(screen.getByTestId("insights-summary").textContent).toBe(
      "2 rows · 2 records matched of 40,000 scanned · 12.3 MB scanned",
    );
    expect(screen.queryByTestId("insights-stop")).toBeNull();
  });

  it("Stop asks the service to stop the running query, which then ends Cancelled", async () => {
    const backend = incidentBackend();
    backend.holdInsights = true;
    show(backend, "diagnosis");
    await waitFor(() => expect(screen.getAllByTestId("log-group")).toHaveLength(2));
    await fireEvent.click(screen.getByTestId("insights-run"));
    await waitFor(() => expect(screen.getAllByTestId("insights-row")).toHaveLength(1));
    await fireEvent.click(screen.getByTestId("insights-stop"));
    await waitFor(() =>
      expect(screen.getByTestId("insights-status").dataset.status).toBe("Cancelled"),
    );
    expect(sent(backend, "stop_logs_insights")[0]?.args).toEqual({
      account: "practice",
      region: "ap-northeast-1",
      queryId: "q-1",
    });
    expect(screen.getByTestId("insights-summary").textContent).toContain("12.3 MB scanned");
  });

  it("a query Logs Insights refuses is explained beside its text", async () => {
    show(incidentBackend(), "diagnosis");
    await waitFor(() => expect(screen.getAllByTestId("log-group")).toHaveLength(2));
    const text = screen.getByTestId("insights-query");
    await fireEvent.input(text, { target: { value: "fields BAD" } });
    await fireEvent.click(screen.getByTestId("insights-run"));
    const message = await screen.findByTestId("insights-query-error");
    expect(message.textContent).toContain("Unexpected symbol found BAD at line 1");
    expect(text.getAttribute("aria-invalid")).toBe("true");
    expect(text.getAttribute("aria-describedby")).toBe(message.id);
    // It sits right after the text, not in a banner elsewhere.
    expect(text.closest("label")?.nextElementSibling).toBe(message);
    expect(screen.queryByTestId("insights-error")).toBeNull();
  });

  it("filters thousands of log groups, lists a capped number and stops at 50 chosen", async () => {
    const backend = incidentBackend();
    backend.logGroups = Array.from({ length: 1500 }, (_, n) => ({
      name: `/app/Service-${n}`,
      region: "ap-northeast-1",
      storedBytes: 0,
      retentionDays: null,
    }));
    show(backend, "diagnosis");
    await waitFor(() => expect(screen.getAllByTestId("log-group")).toHaveLength(100));
    // More own groups than a query takes: none is picked for the user.
    expect(screen.getByTestId("log-groups-chosen").textContent).toContain("0 of at most 50");
    expect(screen.getByTestId("log-groups-more").textContent).toContain("1400 more");
    await fireEvent.input(screen.getByTestId("log-group-filter"), {
      target: { value: "service-14" },
    });
    // service-14, service-140..149 and service-1400..1499.
    expect(screen.getAllByTestId("log-group")).toHaveLength(100);
    await fireEvent.input(screen.getByTestId("log-group-filter"), {
      target: { value: "SERVICE-14" },
    });
    expect(screen.getByTestId("log-groups-more").textContent).toContain("11 more");
    await fireEvent.input(screen.getByTestId("log-group-filter"), { target: { value: "-1" } });
    for (const box of screen.getAllByTestId("log-group").slice(0, 50)) await fireEvent.click(box);
    expect(screen.getByTestId("log-groups-full").textContent).toContain(
      "Logs Insights queries at most 50",
    );
    const next = screen.getAllByTestId("log-group")[50] as HTMLInputElement;
    expect(next.disabled).toBe(true);
  });

  it("CloudTrail asks for up to 200 changes, groups them by who, filters on a click and shows an event's JSON", async () => {
    const backend = incidentBackend();
    show(backend, "diagnosis");
    await waitFor(() => expect(screen.getAllByTestId("trail-row")).toHaveLength(2));
    expect(sent(backend, "lookup_trail_events")[0]?.args.query).toMatchObject({
      lookup: { attribute: "ReadOnly", value: "false" },
      maxResults: 200,
    });
    expect(screen.getByTestId("trail-limit").textContent).toContain("Up to 200 events");
    await fireEvent.click(screen.getByTestId("trail-view-who"));
    const who = screen.getAllByTestId("trail-who-row");
    expect(who.map((row) => row.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "alice 1",
      "kenji 1",
    ]);
    await fireEvent.click(within(who[1] as HTMLElement).getByTestId("trail-who-user"));
    expect(screen.getAllByTestId("trail-row")).toHaveLength(1);
    expect((screen.getByTestId("trail-filter-user") as HTMLInputElement).value).toBe("kenji");
    const expand = screen.getByTestId("trail-expand");
    expect(expand.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(expand);
    expect(expand.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByTestId("trail-json").textContent).toContain('  "userIdentity": {');
    expect(screen.getByTestId("trail-json").textContent).toContain('"userName": "kenji"');
    await fireEvent.click(screen.getByTestId("trail-changes-only"));
    await waitFor(() => expect(sent(backend, "lookup_trail_events")).toHaveLength(2));
    expect(sent(backend, "lookup_trail_events")[1]?.args.query).toMatchObject({ lookup: null });
  });

  it("recovery builds the run form from the described parameters and enforces them", async () => {
    const backend = incidentBackend();
    show(backend, "recovery", (store) => {
      store.triage.selected = ALARM;
    });
    // Prefilled from the incident's instance (the alarm's).
    const instanceField = (await screen.findByTestId("param-InstanceId")) as HTMLInputElement;
    await waitFor(() => expect(instanceField.value).toBe("i-0000000000000001"));
    expect(sent(backend, "describe_runbook")[0]?.args).toMatchObject({
      name: "AWSSupport-TroubleshootSSH",
    });
    const action = screen.getByTestId("param-Action") as HTMLSelectElement;
    expect(action.tagName).toBe("SELECT");
    expect([...action.options].map((o) => o.value)).toEqual(["", "CheckAll", "FixAll"]);
    expect(action.value).toBe("CheckAll");
    expect((screen.getByTestId("param-AllowOffline") as HTMLInputElement).type).toBe("checkbox");
    expect(instanceField.required).toBe(true);
    const review = screen.getByTestId("runbook-review") as HTMLButtonElement;
    expect(review.disabled).toBe(false);
    await fireEvent.input(instanceField, { target: { value: "" } });
    expect(screen.getByTestId("param-problem-InstanceId").textContent).toBe("Required.");
    expect(review.disabled).toBe(true);
    await fireEvent.input(instanceField, { target: { value: "web-prod-1" } });
    expect(screen.getByTestId("param-problem-InstanceId").textContent).toContain(
      "Does not match the pattern",
    );
    expect(review.disabled).toBe(true);
    await fireEvent.input(instanceField, { target: { value: "i-0000000000000004" } });
    await fireEvent.click(screen.getByTestId("param-AllowOffline"));
    await fireEvent.click(review);
    await screen.findByTestId("runbook-preview");
    expect(sent(backend, "preview_start_automation")[0]?.args.request).toEqual({
      region: "ap-northeast-1",
      documentName: "AWSSupport-TroubleshootSSH",
      parameters: {
        InstanceId: ["i-0000000000000004"],
        Action: ["CheckAll"],
        AllowOffline: ["true"],
        SubnetId: ["SelectedInstanceSubnet"],
      },
    });
  });

  it("recovery searches the catalog, describes the chosen runbook and lists the region's history", async () => {
    const backend = incidentBackend();
    show(backend, "recovery");
    await screen.findByTestId("param-InstanceId");
    await fireEvent.input(screen.getByTestId("runbook-search"), { target: { value: "restart" } });
    expect(screen.getByTestId("runbook-count").textContent).toBe("1 of 2 runbooks");
    await fireEvent.change(screen.getByTestId("runbook-select"), {
      target: { value: "AWS-RestartEC2Instance" },
    });
    await waitFor(() =>
      expect((screen.getByTestId("param-Retries") as HTMLInputElement).type).toBe("number"),
    );
    expect(sent(backend, "describe_runbook").map((c) => c.args.name)).toEqual([
      "AWSSupport-TroubleshootSSH",
      "AWS-RestartEC2Instance",
    ]);
    await fireEvent.input(screen.getByTestId("param-Retries"), { target: { value: "1.5" } });
    expect(screen.getByTestId("param-problem-Retries").textContent).toBe("A whole number.");
    expect(screen.getAllByTestId("recent-execution")[0]?.textContent).toContain(
      "AWSSupport-TroubleshootSSH",
    );
    expect(screen.getAllByTestId("recent-command")[0]?.textContent).toContain("uptime");
  });

  it("Run Command on a Windows instance previews AWS-RunPowerShellScript, and refuses a mix", async () => {
    const backend = incidentBackend();
    show(backend, "mitigation");
    await fireEvent.click(await screen.findByTestId("target-i-0000000000000005"));
    const script = screen.getByTestId("command-script") as HTMLTextAreaElement;
    expect(script.value).toContain("Get-Service sshd");
    expect(script.placeholder).toContain("Get-PSDrive");
    await fireEvent.click(screen.getByTestId("command-review"));
    const preview = await screen.findByTestId("command-preview");
    expect(within(preview).getByTestId("command-preview-cli").textContent).toContain(
      "AWS-RunPowerShellScript",
    );
    expect(sent(backend, "preview_send_command")[0]?.args.request).toMatchObject({
      documentName: "AWS-RunPowerShellScript",
      instanceIds: ["i-0000000000000005"],
      commands: ["Get-PSDrive -PSProvider FileSystem", "Get-Service sshd"],
    });
    await fireEvent.click(screen.getByTestId("target-i-0000000000000001"));
    expect(screen.getByTestId("mixed-platforms").textContent).toContain(
      "Linux and Windows instances are both chosen",
    );
    expect((screen.getByTestId("command-review") as HTMLButtonElement).disabled).toBe(true);
  });

  it("a tool the account lacks is explained, not read", async () => {
    const backend = incidentBackend();
    const without = ACCOUNTS.practice.capabilities.filter(
      (c) => c !== "logs" && c !== "automation",
    );
    show(backend, "diagnosis", undefined, without);
    expect((await screen.findByTestId("unavailable-logs")).textContent).toContain(
      "Logs Insights is not available",
    );
    await waitFor(() => expect(screen.getAllByTestId("trail-row")).toHaveLength(2));
    await fireEvent.click(screen.getByTestId("phase-recovery"));
    expect(screen.getByTestId("unavailable-automation")).toBeTruthy();
    expect(sent(backend, "list_log_groups")).toHaveLength(0);
    expect(sent(backend, "list_runbooks")).toHaveLength(0);
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
