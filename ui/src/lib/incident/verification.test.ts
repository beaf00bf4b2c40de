import { get } from "svelte/store";
import { _, locale } from "svelte-i18n";
import { beforeEach, describe, expect, it } from "vitest";
import { ALL_PASSED, result, SEED_FAILED } from "../../test/incident-fixtures";
import { IpcError, type Probe } from "../ipc";
import {
  describeProbe,
  journalResult,
  journalTitle,
  overall,
  type Translate,
  type VerificationRun,
  verificationLine,
} from "./verification.svelte";

beforeEach(() => locale.set("en"));

const EVERY_KIND: Probe[] = [
  { kind: "serviceActive", service: "sshd" },
  { kind: "serviceEnabled", service: "sshd" },
  { kind: "configTest", command: "sshd -t" },
  { kind: "fileMode", path: "/etc/ssh/sshd_config", owner: "root", maxMode: "644" },
  { kind: "fileMode", path: "/etc/app.conf", owner: null, maxMode: "640" },
  { kind: "portListening", port: 22 },
  { kind: "processRunning", process: "nginx" },
  { kind: "diskUsage", path: "/", maxPercent: 90 },
  { kind: "httpAnswers", url: "http://localhost/health" },
  { kind: "windowsServiceRunning", service: "TermService" },
];

describe("verification", () => {
  it("describes every kind of probe in English and Japanese", () => {
    const en = EVERY_KIND.map((p) => describeProbe(get(_) as Translate, p));
    expect(en).toEqual([
      "sshd is active",
      "sshd is enabled (starts at boot)",
      "sshd -t accepts the configuration",
      "/etc/ssh/sshd_config is owned by root, mode 644 or narrower",
      "/etc/app.conf has mode 640 or narrower",
      "Port 22 is listening",
      "Process nginx is running",
      "/ is at most 90% full",
      "http://localhost/health answers",
      "Windows service TermService is running",
    ]);
    locale.set("ja");
    const ja = EVERY_KIND.map((p) => describeProbe(get(_) as Translate, p));
    expect(ja[0]).toBe("sshd が稼働中");
    // Every probe has its own Japanese text, none falls back to the key or to English.
    ja.forEach((text, i) => {
      expect(text).not.toContain("incident.verification");
      expect(text).not.toBe(en[i]);
    });
  });

  it("passes only when every check passed: unknown is never passed, and no checks prove nothing", () => {
    expect(overall(ALL_PASSED)).toBe("passed");
    expect(overall(SEED_FAILED)).toBe("failed");
    const unknown = ALL_PASSED.map((r, i) => (i === 0 ? { ...r, verdict: "unknown" as const } : r));
    expect(overall(unknown)).toBe("unknown");
    expect(overall([])).toBe("unknown");
  });

  it("names failed and unknown checks together, failed first", () => {
    const t = get(_) as Translate;
    const mixed = SEED_FAILED.map((r, i) =>
      i === 4 ? result(r.probe, "unknown", "port 22 could not be read") : r,
    );
    expect(verificationLine(t, mixed, "en")).toBe(
      "Verification: 2 of 5 checks failed: sshd is inactive; sshd_config mode 0655 is wider than 0644. 1 of 5 checks could not be judged (unknown): port 22 could not be read",
    );
  });

  it("records a run that could not reach the instance as failed, with the reason", () => {
    const t = get(_) as Translate;
    const run: VerificationRun = {
      phase: "after",
      runbook: "AWSSupport-TroubleshootSSH",
      request: { region: "ap-northeast-1", instanceId: "i-1", probes: [] },
      at: "2026-11-28T10:00:00Z",
      preview: null,
      results: [],
      error: new IpcError("TargetNotConnected", "i-1 is not connected to Systems Manager"),
    };
    expect(journalTitle(t, run)).toBe("Verification after AWSSupport-TroubleshootSSH: did not run");
    expect(journalResult(t, run, "en")).toBe("i-1: i-1 is not connected to Systems Manager");
  });
});
