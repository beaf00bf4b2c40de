import { afterEach, describe, expect, it } from "vitest";
import { incidentBackend, TRAIL } from "../../test/incident-fixtures";
import { clearMocks } from "../ipc/testing";
import { trailMatches } from "./diagnosis.svelte";
import { IncidentJournal } from "./journal.svelte";
import { automationParameters, checkFor } from "./recovery.svelte";
import { CommandRun, scriptLines, shellRequest } from "./run-command.svelte";
import { hoursBefore, showTime } from "./time";
import { TriageStore } from "./triage.svelte";

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
    expect(triage.alarms.map((a) => a.state)).toEqual(["ALARM", "OK"]);
    expect(triage.selected?.name).toBe("web-prod-1-cpu-high");
  });

  it("a command is only sent on confirmation, and a refused one is recorded as failed", async () => {
    const backend = incidentBackend(["send_command"]);
    const journal = new IncidentJournal();
    const run = new CommandRun(journal);
    await run.describe(shellRequest("ap-northeast-1", ["i-1"], "df -h\n\n  \nuptime"));
    expect(run.previewed?.commands).toEqual(["df -h", "uptime"]);
    expect(backend.calls.map((c) => c.cmd)).toEqual(["preview_send_command"]);
    await run.confirm("practice", async () => "2026-11-28T10:04:00Z");
    expect(run.error?.code).toBe("Unsupported");
    expect(journal.entries).toHaveLength(1);
    expect(journal.entries[0]).toMatchObject({ outcome: "failed", kind: "command" });
  });

  it("helpers: script lines, runbook parameters, checks, trail filter, times", () => {
    expect(scriptLines("a\n\n b \n")).toEqual(["a", " b"]);
    expect(automationParameters({ InstanceId: "i-1, i-2", Empty: " " })).toEqual({
      InstanceId: ["i-1", "i-2"],
    });
    expect(checkFor("AWSSupport-TroubleshootSSH")).toContain("systemctl is-active sshd");
    expect(checkFor("Something-Else")).toBe("systemctl is-active sshd");
    expect(TRAIL.filter((e) => trailMatches(e, "I-00000"))).toHaveLength(1);
    expect(hoursBefore("2026-11-28T10:04:00Z", 3)).toBe("2026-11-28T07:04:00Z");
    expect(showTime("2026-11-28T10:04:00.123Z")).toBe("2026-11-28 10:04:00 UTC");
  });
});
