import { afterEach, describe, expect, it } from "vitest";
import {
  ALARM,
  HISTORY,
  INSIGHTS_ROWS,
  incidentBackend,
  RUNBOOK,
  TRAIL,
} from "../../test/incident-fixtures";
import { FakeJournal } from "../../test/journal-fixtures";
import { clearMocks } from "../ipc/testing";
import { humanBytes, InsightsStore, MAX_GROUPS, matchGroups, matchRows } from "./insights.svelte";
import { IncidentJournal, journalFor, outcomeOf, reportLanguage } from "./journal.svelte";
import { automationParameters, checkFor, fieldKind, fieldProblem } from "./recovery.svelte";
import { CommandRun, scriptKindFor, scriptLines, shellRequest } from "./run-command.svelte";
import { hoursBefore, showTime } from "./time";
import { countByWho, prettyJson, trailMatches } from "./trail.svelte";
import { inStateSince, TriageStore } from "./triage.svelte";

afterEach(() => clearMocks());

describe("incident stores", () => {
  it("triage keeps the regions that answered and names the one that failed", async () => {
    const backend = incidentBackend();
    const triage = new TriageStore();
    // us-east-1 answers with none; a third region rejects.
    backend.calls.length = 0;
    clearMocks();
    incidentBackend(["list_alarms"]);
    await triage.load("practice", ["ap-northeast-1"]);
    expect(triage.failures.map((f) => f.region)).toEqual(["ap-northeast-1"]);
    expect(triage.loading).toEqual([]);
    clearMocks();
    incidentBackend();
    await triage.load("practice", ["ap-northeast-1", "us-east-1"]);
    expect(triage.failures).toEqual([]);
    expect(triage.alarms.map((a) => a.state)).toEqual(["ALARM", "ALARM", "OK"]);
    expect(triage.selected?.name).toBe("web-prod-1-cpu-high");
  });

  it("a command is only sent on confirmation, and a refused one is recorded as failed", async () => {
    const backend = incidentBackend(["send_command"]);
    const journal = new IncidentJournal("practice");
    const run = new CommandRun(journal);
    await run.describe(shellRequest("ap-northeast-1", ["i-1"], "df -h\n\n  \nuptime"));
    expect(run.previewed?.commands).toEqual(["df -h", "uptime"]);
    expect(backend.calls.map((c) => c.cmd)).toEqual(["preview_send_command"]);
    await run.confirm("practice", async () => "2026-11-28T10:04:00Z");
    expect(run.error?.code).toBe("Unsupported");
    expect(journal.entries).toHaveLength(1);
    expect(journal.entries[0]).toMatchObject({ outcome: "failed", kind: "command" });
    await journal.settled();
    expect(backend.journal.entries).toEqual([
      expect.objectContaining({
        outcome: "failed",
        kind: "command",
        apiCall: "ssm:SendCommand",
        at: "2026-11-28T10:04:00Z",
        result: "send_command is not available for this account in this version",
      }),
    ]);
  });

  it("helpers: script lines, runbook parameters, checks, trail filter, times", () => {
    expect(scriptLines("a\n\n b \n")).toEqual(["a", " b"]);
    const list = {
      ...(RUNBOOK.parameters[0] as (typeof RUNBOOK.parameters)[0]),
      kind: "StringList",
    };
    // Lists split on commas; any other value goes whole, commas and all.
    expect(
      automationParameters({ InstanceId: "i-1, i-2", Empty: " ", Note: "a, b" }, [list]),
    ).toEqual({ InstanceId: ["i-1", "i-2"], Note: ["a, b"] });
    expect(checkFor("AWSSupport-TroubleshootSSH")).toContain("systemctl is-active sshd");
    expect(checkFor("Something-Else")).toBe("systemctl is-active sshd");
    expect(checkFor("Something-Else", "powershell")).toBe("Get-Service sshd");
    const filters = { user: "", event: "", resource: "I-00000" };
    expect(TRAIL.filter((e) => trailMatches(e, filters))).toHaveLength(1);
    expect(
      TRAIL.filter((e) => trailMatches(e, { ...filters, resource: "", user: "KEN" })),
    ).toHaveLength(1);
    expect(countByWho([...TRAIL, TRAIL[0] as (typeof TRAIL)[0]])).toEqual([
      { username: "kenji", count: 2 },
      { username: "alice", count: 1 },
    ]);
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson("not json")).toBe("not json");
    expect(hoursBefore("2026-11-28T10:04:00Z", 3)).toBe("2026-11-28T07:04:00Z");
    expect(showTime("2026-11-28T10:04:00.123Z")).toBe("2026-11-28 10:04:00 UTC");
    expect(["Success", "Cancelled", "TimedOut", "Failed"].map(outcomeOf)).toEqual([
      "success",
      "cancelled",
      "failed",
      "failed",
    ]);
    expect([reportLanguage("ja-JP"), reportLanguage("en-US"), reportLanguage(null)]).toEqual([
      "ja",
      "en",
      "en",
    ]);
  });
});

describe("incident helpers for the new tools", () => {
  it("says since when an alarm is in its state from its last transition into it", () => {
    const alarm = { ...ALARM, stateUpdatedAt: "2026-11-28T09:50:00Z" };
    expect(inStateSince(alarm, [...HISTORY])).toBe("2026-11-28T09:37:00Z");
    expect(inStateSince(alarm, [])).toBe("2026-11-28T09:50:00Z");
  });

  it("narrows log groups and rows, and says bytes in human units", () => {
    const groups = ["/storefront/App", "/aws/lambda/x", "/storefront/worker"].map((name) => ({
      name,
      region: "ap-northeast-1",
      storedBytes: 0,
      retentionDays: null,
    }));
    expect(matchGroups(groups, "STOREFRONT").map((g) => g.name)).toEqual([
      "/storefront/App",
      "/storefront/worker",
    ]);
    expect(matchRows(INSIGHTS_ROWS, "refused")).toHaveLength(1);
    expect([humanBytes(512), humanBytes(12_345_678), humanBytes(1_500_000_000)]).toEqual([
      "512 B",
      "12.3 MB",
      "1.5 GB",
    ]);
  });

  it("refuses a log group past the Logs Insights limit", () => {
    const insights = new InsightsStore();
    for (let n = 0; n < MAX_GROUPS; n++) expect(insights.toggle(`/g/${n}`, true)).toBe(true);
    expect(insights.full).toBe(true);
    expect(insights.toggle("/g/extra", true)).toBe(false);
    expect(insights.chosen).toHaveLength(MAX_GROUPS);
    insights.toggle("/g/0", false);
    expect(insights.toggle("/g/extra", true)).toBe(true);
  });

  it("generates fields from described parameters and checks them", () => {
    const [instanceId, action, offline] = RUNBOOK.parameters;
    if (!instanceId || !action || !offline) throw new Error("fixture");
    expect([instanceId, action, offline].map(fieldKind)).toEqual(["text", "select", "checkbox"]);
    expect(fieldKind({ ...instanceId, kind: "Integer" })).toBe("number");
    expect(fieldProblem(instanceId, "")).toBe("required");
    expect(fieldProblem(instanceId, "not-an-instance")).toBe("pattern");
    expect(fieldProblem(instanceId, "i-0000000000000001")).toBeNull();
    expect(fieldProblem({ ...action, kind: "Integer", allowedValues: [] }, "1.5")).toBe("integer");
    // A pattern JavaScript cannot read is left to the service.
    expect(fieldProblem({ ...instanceId, allowedPattern: "(?<x" }, "anything")).toBeNull();
  });

  it("picks the script document by platform and refuses a mix", () => {
    expect(scriptKindFor([{ platform: "linux" }, { platform: "macOs" }])).toBe("shell");
    expect(scriptKindFor([{ platform: "windows" }])).toBe("powershell");
    expect(scriptKindFor([{ platform: "windows" }, { platform: "linux" }])).toBe("mixed");
    expect(scriptKindFor([])).toBeNull();
    expect(shellRequest("r", ["i-1"], "Get-Service sshd", null, "powershell").documentName).toBe(
      "AWS-RunPowerShellScript",
    );
  });
});

const ENTRY = {
  kind: "command" as const,
  at: "2026-11-28T10:04:00Z",
  region: "ap-northeast-1",
  title: "AWS-RunShellScript: df -h → i-1",
  cli: "aws ssm send-command",
  outcome: "running" as const,
  result: "cmd-1",
};

describe("the incident journal, written through", () => {
  it("records an action and its outcome, and a window opened later reads them back", async () => {
    const backend = incidentBackend();
    const journal = new IncidentJournal("practice");
    const id = journal.add(ENTRY);
    journal.update(id, { outcome: "success", result: "i-1 Success (0)" });
    await journal.settled();
    expect(journal.incident).toMatchObject({ id: 1, title: "", closedAt: null });
    expect(backend.journal.entries).toEqual([
      expect.objectContaining({ outcome: "success", result: "i-1 Success (0)", apiCall: "" }),
    ]);

    // A restart: a new window over the same journal.
    clearMocks();
    incidentBackend([], undefined, backend.journal);
    const reopened = new IncidentJournal("practice");
    await reopened.start();
    expect(reopened.incident?.id).toBe(1);
    expect(reopened.entries).toEqual([
      expect.objectContaining({ title: ENTRY.title, outcome: "success", unsaved: null }),
    ]);
    // Its handles update the stored rows.
    reopened.update(reopened.entries[0]?.id ?? 0, { outcome: "failed", result: "later" });
    await reopened.settled();
    expect(backend.journal.entries[0]).toMatchObject({ outcome: "failed", result: "later" });
  });

  it("keeps an action it could not record on screen, says why, and records it on retry", async () => {
    const fail = ["journal_record"];
    const backend = incidentBackend(fail);
    const journal = new IncidentJournal("practice");
    const id = journal.add(ENTRY);
    journal.update(id, { outcome: "success", result: "i-1 Success (0)" });
    await journal.settled();
    expect(journal.error?.message).toBe(
      "journal_record is not available for this account in this version",
    );
    expect(journal.entries).toEqual([
      expect.objectContaining({
        outcome: "success",
        unsaved: "journal_record is not available for this account in this version",
      }),
    ]);
    expect(backend.journal.entries).toEqual([]);

    fail.length = 0;
    journal.retry();
    await journal.settled();
    expect(journal.error).toBeNull();
    expect(journal.entries[0]?.unsaved).toBeNull();
    expect(backend.journal.entries).toEqual([
      expect.objectContaining({ outcome: "success", result: "i-1 Success (0)" }),
    ]);
  });

  it("one journal per account is shared by the screens that record on it", () => {
    expect(journalFor("practice")).toBe(journalFor("practice"));
    expect(journalFor("profile:prod")).not.toBe(journalFor("practice"));
    expect(journalFor("profile:prod").account).toBe("profile:prod");
  });

  it("closing the incident sends the next action to a new one; a named one closes the last", async () => {
    const journal = new FakeJournal();
    incidentBackend([], undefined, journal);
    const store = new IncidentJournal("practice");
    store.add(ENTRY);
    await store.settled();
    await store.closeIncident("2026-11-28T11:00:00Z");
    expect(store.incident).toBeNull();
    expect(store.entries).toEqual([]);
    store.add({ ...ENTRY, title: "second" });
    await store.settled();
    expect(store.incident?.id).toBe(2);
    await store.openIncident("sshd stopped", "2026-11-28T12:00:00Z");
    expect(store.incident).toMatchObject({ id: 3, title: "sshd stopped", closedAt: null });
    expect(journal.incidents.map((i) => i.closedAt)).toEqual([
      "2026-11-28T11:00:00Z",
      "2026-11-28T12:00:00Z",
      null,
    ]);
    await store.loadIncidents();
    expect(store.incidents.map((i) => [i.id, i.entryCount])).toEqual([
      [3, 0],
      [2, 1],
      [1, 1],
    ]);
  });
});
