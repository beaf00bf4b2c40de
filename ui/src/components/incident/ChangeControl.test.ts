/**
 * Safe changes on the Incident screen: the change record written before a change starts, the
 * checks a user adds to a runbook (saved per account), the verification that follows a Run
 * Command on each of its instances, and the Change Calendar and Change Manager for accounts
 * that have them.
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Capability } from "../../lib/ipc";
import { clearMocks } from "../../lib/ipc/testing";
import { confirmChange } from "../../test/confirm-change";
import { ACCOUNTS } from "../../test/fixtures";
import { incidentBackend, SEED_FAILED, SSH_CHECKS } from "../../test/incident-fixtures";
import { sent, show } from "../../test/incident-render";

const SLOW = { timeout: 5000 };
const LONG = 20_000;
const WEB_1 = "i-0000000000000001";
const WEB_2 = "i-0000000000000004";

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

async function reviewFixAll() {
  const instanceField = await screen.findByTestId("param-InstanceId");
  await fireEvent.input(instanceField, { target: { value: WEB_1 } });
  await fireEvent.change(screen.getByTestId("param-Action"), { target: { value: "FixAll" } });
  await fireEvent.click(screen.getByTestId("runbook-review"));
  return screen.findByTestId("runbook-preview");
}

describe("Safe changes", { timeout: LONG }, () => {
  it("a change waits for its change record, which goes on the incident before the runbook", async () => {
    const backend = incidentBackend();
    show(backend, "recovery");
    const preview = await reviewFixAll();
    const run = within(preview).getByTestId("runbook-preview-run") as HTMLButtonElement;
    // The target typed is not enough: why and how to roll back are asked for too.
    const typed = within(preview).getByTestId("runbook-preview-confirm") as HTMLInputElement;
    await fireEvent.input(typed, { target: { value: WEB_1 } });
    expect(run.disabled).toBe(true);
    await fireEvent.input(within(preview).getByTestId("runbook-preview-why"), {
      target: { value: "sshd is down on the bastion" },
    });
    expect(run.disabled).toBe(true);
    await fireEvent.change(within(preview).getByTestId("runbook-preview-risk"), {
      target: { value: "high" },
    });
    await fireEvent.input(within(preview).getByTestId("runbook-preview-rollback"), {
      target: { value: "restore sshd_config from its backup" },
    });
    expect(run.disabled).toBe(false);
    await fireEvent.click(run);
    await waitFor(() => expect(sent(backend, "start_automation")).toHaveLength(1), SLOW);
    expect(sent(backend, "confirm_change")[0]?.args).toEqual({
      account: "practice",
      intent: {
        what: `AWSSupport-TroubleshootSSH → ${WEB_1}`,
        why: "sshd is down on the bastion",
        risk: "high",
        rollback: "restore sshd_config from its backup",
      },
    });
    const kinds = backend.journal.entries.map((e) => e.kind);
    expect(kinds.indexOf("changeRecord")).toBeGreaterThanOrEqual(0);
    expect(kinds.indexOf("changeRecord")).toBeLessThan(kinds.indexOf("runbook"));
  });

  it("a change whose record is refused starts nothing and says why", async () => {
    const backend = incidentBackend(["confirm_change"]);
    show(backend, "recovery");
    await confirmChange(await reviewFixAll(), "runbook-preview");
    expect((await screen.findByTestId("runbook-error")).textContent).toContain(
      "confirm_change is not available",
    );
    expect(sent(backend, "start_automation")).toHaveLength(0);
    expect(sent(backend, "verify_instance")).toHaveLength(0);
  });

  it("a check the user adds to a runbook is saved for the account and runs after the catalog's", async () => {
    const backend = incidentBackend();
    backend.verdicts = [SEED_FAILED];
    show(backend, "recovery");
    const editor = await screen.findByTestId("runbook-own-checks");
    expect(within(editor).getByTestId("runbook-own-checks-empty")).toBeTruthy();
    await fireEvent.click(within(editor).getByTestId("runbook-own-checks-add"));
    await fireEvent.change(within(editor).getByTestId("runbook-own-checks-kind"), {
      target: { value: "httpAnswers" },
    });
    await fireEvent.input(within(editor).getByTestId("runbook-own-checks-url"), {
      target: { value: "http://127.0.0.1:8080/health" },
    });
    await fireEvent.click(within(editor).getByTestId("runbook-own-checks-save"));
    const health = { kind: "httpAnswers", url: "http://127.0.0.1:8080/health" };
    await waitFor(() =>
      expect(sent(backend, "save_own_checks")[0]?.args).toEqual({
        account: "practice",
        document: "AWSSupport-TroubleshootSSH",
        probes: [health],
      }),
    );
    expect(within(editor).getAllByTestId("runbook-own-checks-item")[0]?.textContent).toContain(
      "http://127.0.0.1:8080/health answers",
    );
    expect(screen.getByTestId("runbook-checks").textContent).toContain("(6)");

    await confirmChange(await reviewFixAll(), "runbook-preview");
    // Before and after the runbook, the catalog's checks and then the user's.
    const probes = () =>
      sent(backend, "verify_instance").map(
        (call) => (call.args.request as { probes: unknown[] }).probes,
      );
    await waitFor(
      () =>
        expect(
          probes().filter((p) => JSON.stringify(p) === JSON.stringify([...SSH_CHECKS, health])),
        ).toHaveLength(2),
      SLOW,
    );
  });

  it("a command that restarts sshd is verified on each of its instances when it ends", async () => {
    const backend = incidentBackend();
    show(backend, "mitigation");
    await fireEvent.click(await screen.findByTestId(`target-${WEB_1}`));
    await fireEvent.click(screen.getByTestId(`target-${WEB_2}`));
    await fireEvent.input(screen.getByTestId("command-script"), {
      target: { value: "systemctl restart sshd" },
    });
    expect(screen.getByTestId("command-suggested").textContent).toContain("sshd");
    expect(screen.getAllByTestId("command-check")).toHaveLength(SSH_CHECKS.length);
    await fireEvent.click(screen.getByTestId("command-review"));
    await confirmChange(await screen.findByTestId("command-preview"), "command-preview");
    await waitFor(() => expect(sent(backend, "verify_instance")).toHaveLength(2), SLOW);
    const targets = sent(backend, "verify_instance").map(
      (call) => (call.args.request as { instanceId: string }).instanceId,
    );
    expect(targets.sort()).toEqual([WEB_1, WEB_2]);
    const panel = await screen.findByTestId(`command-verification-${WEB_2}`);
    await waitFor(() =>
      expect(within(panel).getByTestId("verification-headline").textContent).toContain(
        "Command: Success.",
      ),
    );
    expect(within(panel).getByTestId("verification-headline").textContent).toContain(
      "all 5 checks passed",
    );
  });

  it("a command with nothing to verify says so before it is sent", async () => {
    const backend = incidentBackend();
    show(backend, "mitigation");
    await fireEvent.click(await screen.findByTestId(`target-${WEB_1}`));
    await fireEvent.input(screen.getByTestId("command-script"), { target: { value: "df -h" } });
    expect(screen.getByTestId("command-no-checks").textContent).toContain(
      "No checks will verify this command",
    );
  });

  it("a closed Change Calendar warns in the preview, and a change request waits for approval", async () => {
    const backend = incidentBackend();
    backend.calendar = {
      calendars: ["release-freeze"],
      status: "CLOSED",
      at: "2026-11-28T10:04:00Z",
      nextTransition: "2026-11-29T00:00:00Z",
    };
    backend.templates = ["Ops-Standard"];
    backend.runbookEnds = "PendingApproval";
    const capabilities: Capability[] = [...ACCOUNTS.practice.capabilities, "changeControl"];
    show(backend, "recovery", () => {}, capabilities);
    await fireEvent.click(await screen.findByTestId("runbook-mode-request"));
    const preview = await reviewFixAll();
    const calendar = screen.getByTestId("change-calendar");
    expect(calendar.dataset.status).toBe("CLOSED");
    expect(calendar.textContent).toContain("release-freeze");
    expect(calendar.textContent).toContain("2026-11-29T00:00:00Z");
    expect(within(preview).getByTestId("runbook-preview-api").textContent).toBe(
      "ssm:StartChangeRequestExecution",
    );
    await confirmChange(preview, "runbook-preview");
    await waitFor(() => expect(sent(backend, "submit_change_request")).toHaveLength(1), SLOW);
    expect(sent(backend, "submit_change_request")[0]?.args).toMatchObject({
      request: {
        template: "Ops-Standard",
        name: `AWSSupport-TroubleshootSSH on ${WEB_1}`,
        runbook: { documentName: "AWSSupport-TroubleshootSSH" },
      },
    });
    expect(sent(backend, "start_automation")).toHaveLength(0);
    await waitFor(
      () => expect(screen.getByTestId("execution-status").dataset.status).toBe("PendingApproval"),
      SLOW,
    );
  });
});
