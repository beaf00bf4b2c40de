/**
 * Verification after a runbook, through the Incident screen: the runbook's typed checks run by
 * themselves when it ends, whatever its status, the headline sits beside the runbook's own
 * status, each check has its own verdict, and the run goes on the incident's timeline. The seed
 * incident: AWSSupport-TroubleshootSSH ended in Success while sshd stayed stopped and FixAll
 * left sshd_config at 0655; a script check judged by its last line said "passed".
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks } from "../../lib/ipc/testing";
import { confirmChange } from "../../test/confirm-change";
import {
  ALL_PASSED,
  type Backend,
  incidentBackend,
  result,
  SEED_FAILED,
  SSH_CHECKS,
} from "../../test/incident-fixtures";
import { sent, show } from "../../test/incident-render";

const SLOW = { timeout: 5000 };
const LONG = 20_000;

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

/** Runs AWSSupport-TroubleshootSSH with FixAll on the alarm's instance, and waits for its end. */
async function runFixAll(backend: Backend, status = "Success") {
  show(backend, "recovery");
  const instanceField = await screen.findByTestId("param-InstanceId");
  await fireEvent.input(instanceField, { target: { value: "i-0000000000000001" } });
  await fireEvent.change(screen.getByTestId("param-Action"), { target: { value: "FixAll" } });
  await fireEvent.click(screen.getByTestId("runbook-review"));
  const preview = await screen.findByTestId("runbook-preview");
  await confirmChange(preview, "runbook-preview");
  await waitFor(
    () => expect(screen.getByTestId("execution-status").dataset.status).toBe(status),
    SLOW,
  );
  return waitFor(() => screen.getByTestId("verification-headline"), SLOW);
}

const rows = () =>
  screen.getAllByTestId("verification-row").map((row) => ({
    check: row.querySelector("th")?.textContent?.trim(),
    verdict: within(row).getByTestId("verification-after").textContent?.trim(),
  }));

describe("Verification after a runbook", { timeout: LONG }, () => {
  it("the seed: Success while sshd is inactive and sshd_config is 0655 is reported as a failed verification, with both reasons, on the timeline too", async () => {
    const backend = incidentBackend();
    backend.verdicts = [SEED_FAILED];
    const headline = await runFixAll(backend);
    expect(headline.dataset.verdict).toBe("failed");
    expect(headline.className).toContain("danger");
    expect(headline.textContent?.replace(/\s+/g, " ").trim()).toBe(
      "Runbook: Success. Verification: 2 of 5 checks failed: sshd is inactive; sshd_config mode 0655 is wider than 0644",
    );
    expect(rows()).toEqual([
      { check: "sshd is active", verdict: "✗ Failed" },
      { check: "sshd is enabled (starts at boot)", verdict: "✓ Passed" },
      { check: "sshd -t accepts the configuration", verdict: "✓ Passed" },
      {
        check: "/etc/ssh/sshd_config is owned by root, mode 644 or narrower",
        verdict: "✗ Failed",
      },
      { check: "Port 22 is listening", verdict: "✓ Passed" },
    ]);
    // The evidence is there, folded away.
    const evidence = screen.getAllByTestId("verification-evidence");
    expect(evidence[0]?.textContent).toBe("inactive");
    expect(evidence[0]?.closest("details")?.open).toBe(false);
    // The checks asked for are the runbook's own, on the runbook's instance.
    expect(sent(backend, "runbook_guide")[0]?.args).toEqual({
      account: "practice",
      runbook: "AWSSupport-TroubleshootSSH",
    });
    expect(sent(backend, "verify_instance").at(-1)?.args).toEqual({
      account: "practice",
      request: { region: "ap-northeast-1", instanceId: "i-0000000000000001", probes: SSH_CHECKS },
    });
    // No script was sent: the old check (judged by its last line) is only an extra, folded.
    expect(sent(backend, "send_command")).toHaveLength(0);
    const own = screen.getByTestId("verify-prompt");
    expect(own.tagName).toBe("DETAILS");
    expect(own.textContent).toContain("judged by its exit status alone");

    await waitFor(() =>
      expect(backend.journal.entries).toContainEqual(
        expect.objectContaining({
          kind: "verification",
          title: "Verification after AWSSupport-TroubleshootSSH: failed (2 of 5)",
          outcome: "failed",
          apiCall: "ssm:SendCommand",
          result: expect.stringContaining(
            "Failed: sshd is inactive; Passed: sshd is enabled; Passed: sshd -t accepts the configuration; Failed: sshd_config mode 0655 is wider than 0644",
          ),
        }),
      ),
    );
    await fireEvent.click(screen.getByTestId("phase-analysis"));
    const entries = await screen.findAllByTestId("timeline-entry");
    const entry = entries.find((e) =>
      e.textContent?.includes("Verification after AWSSupport-TroubleshootSSH: failed (2 of 5)"),
    );
    expect(entry?.dataset.outcome).toBe("failed");
    expect(entry?.textContent).toContain("sshd_config mode 0655 is wider than 0644");
  });

  it("says so when every check passed, and records a success", async () => {
    const backend = incidentBackend();
    backend.verdicts = [ALL_PASSED];
    const headline = await runFixAll(backend);
    expect(headline.dataset.verdict).toBe("passed");
    expect(headline.textContent?.replace(/\s+/g, " ").trim()).toBe(
      "Runbook: Success. Verification: all 5 checks passed.",
    );
    expect(rows().every((r) => r.verdict === "✓ Passed")).toBe(true);
    await waitFor(() =>
      expect(backend.journal.entries).toContainEqual(
        expect.objectContaining({
          kind: "verification",
          title: "Verification after AWSSupport-TroubleshootSSH: passed (5 of 5)",
          outcome: "success",
        }),
      ),
    );
  });

  it("an unknown check is shown as unknown, in the warning tone, and never as passed", async () => {
    const backend = incidentBackend();
    backend.verdicts = [
      ALL_PASSED.map((r, i) =>
        i === 4
          ? result(r.probe, "unknown", "ss is not installed: port 22 could not be read", "")
          : r,
      ),
    ];
    const headline = await runFixAll(backend);
    expect(headline.dataset.verdict).toBe("unknown");
    expect(headline.className).toContain("warning");
    expect(headline.textContent).not.toContain("passed.");
    expect(headline.textContent).toContain(
      "Verification: 1 of 5 checks could not be judged (unknown): ss is not installed: port 22 could not be read",
    );
    const port = screen.getAllByTestId("verification-row")[4] as HTMLElement;
    const badge = within(port).getByTestId("verification-after");
    expect(badge.dataset.verdict).toBe("unknown");
    expect(badge.textContent).toContain("Unknown");
    expect(badge.textContent).not.toContain("Passed");
    expect(within(port).getByTestId("verification-evidence").textContent).toBe("(no output)");
    await waitFor(() =>
      expect(backend.journal.entries).toContainEqual(
        expect.objectContaining({
          title: "Verification after AWSSupport-TroubleshootSSH: unknown (1 of 5)",
          outcome: "unknown",
        }),
      ),
    );
  });

  it("runs the checks once before a runbook that can change resources, and shows before → after", async () => {
    const backend = incidentBackend();
    backend.verdicts = [SEED_FAILED, ALL_PASSED];
    const headline = await runFixAll(backend);
    expect(headline.dataset.verdict).toBe("passed");
    // The baseline ran after the confirmation and before the runbook started.
    const order = backend.calls.map((c) => c.cmd);
    expect(order.indexOf("verify_instance")).toBeLessThan(order.indexOf("start_automation"));
    expect(sent(backend, "verify_instance")).toHaveLength(2);
    const [active, , , mode] = screen.getAllByTestId("verification-row") as HTMLElement[];
    for (const row of [active, mode]) {
      expect(within(row as HTMLElement).getByTestId("verification-before").textContent).toContain(
        "Failed",
      );
      expect(within(row as HTMLElement).getByTestId("verification-after").textContent).toContain(
        "Passed",
      );
    }
    const table = screen.getByTestId("verification-table");
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((h) => h.textContent?.trim()),
    ).toEqual(["Check", "Before", "After", "Result"]);
    await waitFor(() =>
      expect(
        backend.journal.entries.filter((e) => e.kind === "verification").map((e) => e.title),
      ).toEqual([
        "Verification before AWSSupport-TroubleshootSSH: failed (2 of 5)",
        "Verification after AWSSupport-TroubleshootSSH: passed (5 of 5)",
      ]),
    );
  });

  it("takes no baseline before a runbook that cannot change resources", async () => {
    const backend = incidentBackend();
    backend.readOnly = ["AWSSupport-TroubleshootSSH"];
    backend.verdicts = [SEED_FAILED];
    await runFixAll(backend);
    expect(sent(backend, "verify_instance")).toHaveLength(1);
    const order = backend.calls.map((c) => c.cmd);
    expect(order.indexOf("verify_instance")).toBeGreaterThan(order.indexOf("start_automation"));
    expect(screen.queryAllByTestId("verification-before")).toHaveLength(0);
  });

  it("Stop waiting leaves the checks to finish on the instance and can run them again", async () => {
    const backend = incidentBackend();
    backend.readOnly = ["AWSSupport-TroubleshootSSH"];
    backend.holdVerification = true;
    show(backend, "recovery");
    await fireEvent.input(await screen.findByTestId("param-InstanceId"), {
      target: { value: "i-0000000000000001" },
    });
    await fireEvent.click(screen.getByTestId("runbook-review"));
    const preview = await screen.findByTestId("runbook-preview");
    await confirmChange(preview, "runbook-preview");
    const running = await waitFor(() => screen.getByTestId("verification-running"), SLOW);
    expect(running.textContent).toContain("Running 5 checks on i-0000000000000001");
    await fireEvent.click(within(running).getByRole("button"));
    expect(screen.queryByTestId("verification-running")).toBeNull();
    expect(screen.queryByTestId("verification-headline")).toBeNull();
    backend.holdVerification = false;
    await fireEvent.click(screen.getByTestId("verification-again"));
    await waitFor(
      () => expect(screen.getByTestId("verification-headline").dataset.verdict).toBe("passed"),
      SLOW,
    );
  });

  it("verifies a runbook that ended Failed too, and Check again runs the same checks", async () => {
    const backend = incidentBackend();
    backend.runbookEnds = "Failed";
    backend.verdicts = [SEED_FAILED, SEED_FAILED, ALL_PASSED];
    const headline = await runFixAll(backend, "Failed");
    expect(headline.textContent).toContain("Runbook: Failed.");
    expect(headline.dataset.verdict).toBe("failed");
    await fireEvent.click(screen.getByTestId("verification-again"));
    await waitFor(
      () => expect(screen.getByTestId("verification-headline").dataset.verdict).toBe("passed"),
      SLOW,
    );
    const requests = sent(backend, "verify_instance").map((c) => c.args.request);
    expect(requests).toHaveLength(3);
    expect(requests[2]).toEqual(requests[1]);
  });

  it("composes the headline in Japanese from the results' Japanese summaries", async () => {
    locale.set("ja");
    const backend = incidentBackend();
    backend.verdicts = [SEED_FAILED];
    const headline = await runFixAll(backend);
    expect(headline.textContent?.replace(/\s+/g, " ").trim()).toBe(
      "ランブック：成功。 検証：5 件中 2 件のチェックが不合格：sshd is inactive（ja）、sshd_config mode 0655 is wider than 0644（ja）",
    );
    expect(rows()[0]).toEqual({ check: "sshd が稼働中", verdict: "✗ 不合格" });
    await waitFor(() =>
      expect(backend.journal.entries).toContainEqual(
        expect.objectContaining({
          title: "AWSSupport-TroubleshootSSH の実行後の検証：不合格（5 件中 2 件）",
        }),
      ),
    );
  });
});
