/**
 * The Incident screen's tools over the capability-split backend: composite alarms and alarm
 * history, streaming Logs Insights, log group filtering, CloudTrail changes, the runbook form
 * generated from described parameters, Run Command by platform, and missing capabilities.
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks } from "../../lib/ipc/testing";
import { ACCOUNTS } from "../../test/fixtures";
import { ALARM, incidentBackend } from "../../test/incident-fixtures";
import { sent, show } from "../../test/incident-render";

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

describe("the Incident screen's tools", { timeout: 20_000 }, () => {
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
    await waitFor(() => expect(screen.getAllByTestId("history-item")).toHaveLength(3));
    expect(screen.getByTestId("alarm-since").textContent).toContain(
      "In alarm since 2026-11-28 09:37:00 UTC",
    );
    const items = screen.getAllByTestId("history-item");
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
    expect(
      who.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent?.trim())),
    ).toEqual([
      ["alice", "1"],
      ["kenji", "1"],
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
