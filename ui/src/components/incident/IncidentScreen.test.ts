import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AccountsStore } from "../../lib/accounts/accounts.svelte";
import { IncidentStore } from "../../lib/incident/incident.svelte";
import { clearMocks } from "../../lib/ipc/testing";
import { ACCOUNTS } from "../../test/fixtures";
import { type Backend, incidentBackend } from "../../test/incident-fixtures";
import IncidentScreen from "./IncidentScreen.svelte";

const SLOW = { timeout: 5000 };

function accounts(): AccountsStore {
  const store = new AccountsStore();
  store.list = ACCOUNTS;
  store.region = "ap-northeast-1";
  return store;
}

function show(backend: Backend, phase: IncidentStore["phase"] = "triage") {
  const initial = new IncidentStore("practice");
  initial.phase = phase;
  const page = render(IncidentScreen, { accounts: accounts(), initial });
  return { page, initial, backend };
}

const sent = (backend: Backend, cmd: string) => backend.calls.filter((c) => c.cmd === cmd);

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

// Cases that follow a command or a runbook wait for its polls, a second or more each.
const LONG = 20_000;

describe("IncidentScreen", { timeout: LONG }, () => {
  it("triage lists the firing alarm first, with its reason, and charts its metric against the threshold", async () => {
    show(incidentBackend());
    await waitFor(() => expect(screen.getAllByTestId("alarm-row")).toHaveLength(2));
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
    await fireEvent.input(screen.getByTestId("trail-filter"), { target: { value: "kenji" } });
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
    await waitFor(() => expect(screen.getAllByTestId("insights-row")).toHaveLength(1));
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

  it("analysis lists what was done, with its result, and exports it as Markdown", async () => {
    incidentBackend();
    const { initial } = show(incidentBackend(), "mitigation");
    await fireEvent.click(await screen.findByTestId("target-i-0000000000000001"));
    await fireEvent.click(screen.getByTestId("command-review"));
    await fireEvent.click(await screen.findByTestId("command-preview-run"));
    await waitFor(() => expect(initial.journal.entries[0]?.outcome).toBe("success"), SLOW);
    await fireEvent.click(screen.getByTestId("phase-analysis"));
    const entry = await screen.findByTestId("timeline-entry");
    expect(entry.textContent).toContain("Run Command");
    expect(entry.textContent).toContain("i-0000000000000001 Success (0)");
    const markdown = initial.journal.toMarkdown(
      {
        title: "Incident report",
        account: "Account",
        exported: "Exported",
        empty: "",
        kind: { command: "Run Command", runbook: "Runbook", verification: "Verification" },
        outcome: { running: "Running", success: "Succeeded", failed: "Failed" },
      },
      "practice",
      "2026-11-28T10:10:00Z",
    );
    expect(markdown).toContain("## 2026-11-28 10:04:00 UTC · Run Command · AWS-RunShellScript");
    expect(markdown).toContain("```sh\naws ssm send-command");
  });
});
