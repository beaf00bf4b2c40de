/**
 * Verification: the typed checks that prove a runbook's goal (sshd active, `sshd -t`,
 * sshd_config's mode, port 22...), run on the instance by one read-only Run Command and each
 * judged on its own output by the backend. It runs by itself when a runbook ends, whatever the
 * runbook says about itself, and once before a runbook that can change resources starts (the
 * baseline), so the table can show each check before → after. Every run goes on the incident's
 * journal as a verification, in the window's language.
 */
import { get } from "svelte/store";
import { _, locale } from "svelte-i18n";
import {
  type ChangePreview,
  type CheckResult,
  commands,
  type IpcError,
  type Localized,
  type Probe,
  toIpcError,
  type Verdict,
  type VerifyRequest,
} from "../ipc";
import type { IncidentJournal } from "./journal.svelte";

/** A message formatter, as svelte-i18n's `$_` is. */
export type Translate = (key: string, options?: { values?: Record<string, unknown> }) => string;

/** When a run happened: before the runbook started (the baseline) or after it ended. */
export type Phase = "before" | "after";

export interface VerificationRun {
  phase: Phase;
  runbook: string;
  request: VerifyRequest;
  /** The account's time when it was sent (RFC 3339). */
  at: string;
  /** What it sends, when it could be described. */
  preview: ChangePreview | null;
  results: CheckResult[];
  /** Why there are no results (the command was refused, the instance is unreachable...). */
  error: IpcError | null;
}

/** How many checks ended each way. */
export interface Tally {
  passed: number;
  failed: number;
  unknown: number;
  total: number;
}

export function tally(results: CheckResult[]): Tally {
  const count = (verdict: Verdict) => results.filter((r) => r.verdict === verdict).length;
  return {
    passed: count("passed"),
    failed: count("failed"),
    unknown: count("unknown"),
    total: results.length,
  };
}

/**
 * The run's word as a whole: failed when any check failed, unknown when none failed but one
 * could not be judged, passed only when every check passed. No checks proves nothing.
 */
export function overall(results: CheckResult[]): Verdict {
  const { passed, failed, total } = tally(results);
  if (failed > 0) return "failed";
  return total > 0 && passed === total ? "passed" : "unknown";
}

/** The message key and values that describe what a probe checks (`sshd is active`). */
export function probeText(probe: Probe): { key: string; values: Record<string, string | number> } {
  const key = (name: string) => `incident.verification.probe.${name}`;
  switch (probe.kind) {
    case "serviceActive":
    case "serviceEnabled":
    case "windowsServiceRunning":
      return { key: key(probe.kind), values: { service: probe.service } };
    case "configTest":
      return { key: key(probe.kind), values: { command: probe.command } };
    case "fileMode":
      return probe.owner === null
        ? { key: key("fileModeAnyOwner"), values: { path: probe.path, mode: probe.maxMode } }
        : {
            key: key(probe.kind),
            values: { path: probe.path, owner: probe.owner, mode: probe.maxMode },
          };
    case "portListening":
      return { key: key(probe.kind), values: { port: probe.port } };
    case "processRunning":
      return { key: key(probe.kind), values: { process: probe.process } };
    case "diskUsage":
      return { key: key(probe.kind), values: { path: probe.path, percent: probe.maxPercent } };
    case "httpAnswers":
      return { key: key(probe.kind), values: { url: probe.url } };
  }
}

export function describeProbe(t: Translate, probe: Probe): string {
  const { key, values } = probeText(probe);
  return t(key, { values });
}

/** A localized text in the window's language. */
export function inLanguage(text: Localized, language: string | null | undefined): string {
  return language?.startsWith("ja") ? text.ja : text.en;
}

/**
 * The verification's line beside the runbook's own status: "Verification: 2 of 5 checks
 * failed: sshd is inactive; sshd_config mode 0655 is wider than 0644", from the results' own
 * summaries; unknown checks are named too, and never counted as passed.
 */
export function verificationLine(
  t: Translate,
  results: CheckResult[],
  language: string | null | undefined,
): string {
  const counts = tally(results);
  const reasons = (verdict: Verdict) =>
    results
      .filter((r) => r.verdict === verdict)
      .map((r) => inLanguage(r.summary, language))
      .join(t("incident.verification.separator"));
  if (counts.total === 0) return t("incident.verification.none");
  if (counts.passed === counts.total)
    return t("incident.verification.allPassed", { values: { total: counts.total } });
  const parts: string[] = [];
  for (const verdict of ["failed", "unknown"] as const)
    if (counts[verdict] > 0)
      parts.push(
        t(`incident.verification.some.${verdict}`, {
          values: { count: counts[verdict], total: counts.total, reasons: reasons(verdict) },
        }),
      );
  return t("incident.verification.line", {
    values: { parts: parts.join(t("incident.verification.partSeparator")) },
  });
}

/** The journal's title for a run: "Verification after AWSSupport-TroubleshootSSH: failed (2 of 5)". */
export function journalTitle(t: Translate, run: VerificationRun): string {
  const counts = tally(run.results);
  const verdict = overall(run.results);
  const word = run.error
    ? t("incident.verification.journal.noAnswer")
    : t(`incident.verification.journal.${verdict}`, {
        values: {
          count: verdict === "passed" ? counts.passed : counts[verdict],
          total: counts.total,
        },
      });
  return t(`incident.verification.journal.${run.phase}`, {
    values: { runbook: run.runbook, verdict: word },
  });
}

/** The journal's result for a run: the instance, then each check's verdict and summary. */
export function journalResult(
  t: Translate,
  run: VerificationRun,
  language: string | null | undefined,
): string {
  if (run.error) return `${run.request.instanceId}: ${run.error.message}`;
  const checks = run.results
    .map(
      (r) =>
        `${t(`incident.verification.verdict.${r.verdict}`)}: ${inLanguage(r.summary, language)}`,
    )
    .join(t("incident.verification.separator"));
  return `${run.request.instanceId}: ${checks}`;
}

/** Whether two runs checked the same probes on the same instance (so they can be compared). */
export function comparable(a: VerificationRun, b: VerificationRun): boolean {
  return (
    a.runbook === b.runbook &&
    a.request.instanceId === b.request.instanceId &&
    a.request.region === b.request.region &&
    JSON.stringify(a.request.probes) === JSON.stringify(b.request.probes)
  );
}

/**
 * How a run goes on the journal: success only when every check passed, unknown when none
 * failed but some could not be judged, failed otherwise (and when nothing could be run).
 */
export function journalOutcome(run: VerificationRun): "success" | "failed" | "unknown" {
  if (run.error) return "failed";
  const verdict = overall(run.results);
  return verdict === "passed" ? "success" : verdict;
}

export class VerificationStore {
  /** The last run before a runbook started, kept to compare the run after it with. */
  baseline = $state<VerificationRun | null>(null);
  /** The last run after a runbook ended (or asked for again). */
  latest = $state<VerificationRun | null>(null);
  /** What is running now, with its request. */
  running = $state<{ phase: Phase; runbook: string; request: VerifyRequest } | null>(null);
  /** The last checks asked for, answered or not: what "Check again" runs. */
  asked = $state<{ runbook: string; request: VerifyRequest } | null>(null);
  /** Bumped by `stop`: a run that answers after it is no longer waited for is dropped. */
  #generation = 0;

  constructor(private readonly journal: IncidentJournal) {}

  /**
   * Runs `probes` on `instanceId`, judges them, records the run on the journal and keeps it
   * as the baseline (`before`) or the latest (`after`). Resolves to the run, or null when it
   * was stopped meanwhile.
   */
  async run(
    account: string,
    phase: Phase,
    runbook: string,
    request: VerifyRequest,
    at: () => Promise<string>,
  ): Promise<VerificationRun | null> {
    const generation = ++this.#generation;
    this.running = { phase, runbook, request };
    this.asked = { runbook, request };
    if (phase === "before") {
      this.baseline = null;
      this.latest = null;
    }
    const sentAt = await at();
    const preview = await commands.previewVerification(request).catch(() => null);
    let results: CheckResult[] = [];
    let error: IpcError | null = null;
    try {
      results = await commands.verifyInstance(account, request);
    } catch (thrown) {
      error = toIpcError(thrown);
    }
    const run: VerificationRun = { phase, runbook, request, at: sentAt, preview, results, error };
    if (generation !== this.#generation) return null;
    this.running = null;
    if (phase === "before") this.baseline = run;
    else this.latest = run;
    this.#record(run);
    return run;
  }

  /** Runs the last checks asked for again, on the same instance (also after Stop waiting). */
  async again(account: string, at: () => Promise<string>): Promise<void> {
    const last = this.asked;
    if (!last || this.running) return;
    await this.run(account, "after", last.runbook, last.request, at);
  }

  /** Stops waiting for the running checks (the Run Command finishes on the instance). */
  stop(): void {
    this.#generation++;
    this.running = null;
  }

  /** Forgets every run (another runbook is about to start). */
  reset(): void {
    this.stop();
    this.baseline = null;
    this.latest = null;
    this.asked = null;
  }

  /** The baseline when it checked what `run` checked. */
  baselineFor(run: VerificationRun): VerificationRun | null {
    const baseline = this.baseline;
    return baseline && !baseline.error && comparable(baseline, run) ? baseline : null;
  }

  #record(run: VerificationRun): void {
    const t = get(_) as Translate;
    const language = get(locale);
    this.journal.add({
      kind: "verification",
      at: run.at,
      region: run.request.region,
      title: journalTitle(t, run),
      apiCall: run.preview?.apiCall ?? "ssm:SendCommand",
      cli: run.preview?.cli ?? "",
      outcome: journalOutcome(run),
      result: journalResult(t, run, language),
    });
  }
}
