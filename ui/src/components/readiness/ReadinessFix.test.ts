import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import axe from "axe-core";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type {
  AutomationExecution,
  ReadinessAction,
  ReadinessCheck,
  ReadinessReport,
  RegionReadiness,
} from "../../lib/ipc";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { FakeJournal, NOT_JOURNAL } from "../../test/journal-fixtures";
import ReadinessChecks from "./ReadinessChecks.svelte";
import RegionReadinessDialog from "./RegionReadinessDialog.svelte";

const VIRGINIA = "us-east-1";
const EGRESS: ReadinessAction = {
  kind: "allowHttpsEgress",
  region: VIRGINIA,
  groupId: "sg-0c4f5a6b7d8e90015",
  cidr: "172.31.0.0/16",
};
const TROUBLESHOOT: ReadinessAction = {
  kind: "troubleshootManagedInstance",
  region: VIRGINIA,
  instanceId: "i-0f9e8d7c6b5a40015",
};
const EGRESS_CLI =
  "aws ec2 authorize-security-group-egress --region us-east-1 --group-id sg-0c4f5a6b7d8e90015 --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=172.31.0.0/16}]'";

function check(
  id: ReadinessCheck["id"],
  status: ReadinessCheck["status"],
  action: ReadinessAction | null,
): ReadinessCheck {
  return {
    id,
    title:
      id === "security-group-egress"
        ? "Security groups allow HTTPS (443) out"
        : "The agent is online",
    status,
    evidence: status === "pass" ? "Fine." : "Something is wrong.",
    fix:
      status === "pass"
        ? null
        : { summary: "Do something.", commands: ["aws ec2 something"], runbook: null, action },
  };
}

function report(egress: "pass" | "fail", agent: "pass" | "fail" = egress): ReadinessReport {
  return {
    instanceId: "i-0f9e8d7c6b5a40015",
    name: "api-us-1",
    region: VIRGINIA,
    verdict:
      egress === "pass" && agent === "pass"
        ? { outcome: "ready", summary: "Session Manager will work" }
        : {
            outcome: "notReady",
            summary: "Session Manager won't work, because of sg-0c4f5a6b7d8e90015",
          },
    checks: [
      check("agent-registered", agent, TROUBLESHOOT),
      check("security-group-egress", egress, EGRESS),
    ],
  };
}

type Call = { cmd: string; args: Record<string, unknown> };
let calls: Call[] = [];
let journal: FakeJournal;

/** The backend: journal in memory, the doctor's commands answered by `answer`. */
function backend(answer: (cmd: string, args: Record<string, unknown>) => unknown) {
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    const stored = journal.handle(cmd, args);
    if (stored !== NOT_JOURNAL) return stored;
    if (cmd === "account_clock") return "2026-11-28T10:04:00Z";
    if (cmd === "preview_readiness_action") {
      const action = args.action as ReadinessAction;
      return {
        change:
          action.kind === "allowHttpsEgress"
            ? {
                apiCall: "ec2:AuthorizeSecurityGroupEgress",
                cli: EGRESS_CLI,
                summary: {
                  en: "Adds an outbound rule to sg-0c4f5a6b7d8e90015.",
                  ja: "アウトバウンドルールを追加します。",
                },
              }
            : {
                apiCall: "ssm:StartAutomationExecution",
                cli: "aws ssm start-automation-execution --document-name AWSSupport-TroubleshootManagedInstance",
                summary: {
                  en: "Runs the runbook; changes nothing.",
                  ja: "ランブックを実行します。",
                },
              },
        cost: { en: "Free: security group rules cost nothing.", ja: "無料" },
      };
    }
    return answer(cmd, args);
  });
}

const sent = (cmd: string) => calls.filter((c) => c.cmd === cmd);

let accountNumber = 0;
let account = "";
beforeEach(() => {
  calls = [];
  journal = new FakeJournal();
  locale.set("en");
  // Each test its own account, so the shared per-account journal starts empty.
  account = `profile:test-${++accountNumber}`;
});
afterEach(() => clearMocks());

/** ReadinessChecks as the Fleet's instance detail shows it: re-checking replaces the report. */
function showInstance(first: ReadinessReport, next: ReadinessReport) {
  let rechecks = 0;
  const view = render(ReadinessChecks, {
    report: first,
    account,
    onRecheck: async () => {
      rechecks++;
      await view.rerender({ report: next, account, onRecheck: async () => {} });
    },
  });
  return { rechecks: () => rechecks };
}

describe("Apply fix", () => {
  it("shows the exact call, CLI and cost first and changes nothing until Run", async () => {
    backend(() => {
      throw new Error("nothing should be applied");
    });
    showInstance(report("fail"), report("pass"));
    const egress = screen
      .getAllByTestId("readiness-check")
      .find((li) => li.dataset.check === "security-group-egress") as HTMLElement;
    await fireEvent.click(within(egress).getByTestId("readiness-apply"));
    const confirm = await within(egress).findByTestId("readiness-confirm");
    expect(within(confirm).getByTestId("readiness-confirm-api").textContent).toBe(
      "ec2:AuthorizeSecurityGroupEgress",
    );
    expect(within(confirm).getByTestId("readiness-confirm-cli").textContent).toBe(EGRESS_CLI);
    expect(within(confirm).getByTestId("readiness-confirm-cost").textContent).toBe(
      "Free: security group rules cost nothing.",
    );
    expect(sent("preview_readiness_action").map((c) => c.args)).toEqual([{ action: EGRESS }]);

    await fireEvent.click(within(confirm).getByText("Cancel"));
    expect(screen.queryByTestId("readiness-confirm")).toBeNull();
    expect(sent("apply_readiness_action")).toEqual([]);
    expect(sent("journal_record")).toEqual([]);
  });

  it("applies on Run, records it on the incident, checks again and says the problem is gone", async () => {
    backend((cmd) => {
      if (cmd === "apply_readiness_action") return { kind: "done" };
      throw new Error(`unexpected ${cmd}`);
    });
    const instance = showInstance(report("fail"), report("pass"));
    await fireEvent.click(
      screen
        .getAllByTestId("readiness-apply")
        .find((b) => b.closest("li")?.dataset.check === "security-group-egress") as HTMLElement,
    );
    await fireEvent.click(await screen.findByTestId("readiness-confirm-run"));
    const verified = await screen.findByTestId("readiness-fix-verified");
    expect(verified.textContent?.trim()).toBe(
      "Checked again: “Security groups allow HTTPS (443) out” now passes.",
    );
    expect(sent("apply_readiness_action").map((c) => c.args)).toEqual([
      { account, action: EGRESS },
    ]);
    expect(instance.rechecks()).toBe(1);
    expect(screen.getByTestId("readiness-verdict").textContent).toContain("Ready");
    expect(screen.getByTestId("readiness-fix-outcome").textContent).toContain(
      "Recorded on the incident's timeline.",
    );
    await waitFor(() =>
      expect(journal.entries.map((e) => [e.kind, e.apiCall, e.cli, e.outcome])).toEqual([
        ["change", "ec2:AuthorizeSecurityGroupEgress", EGRESS_CLI, "success"],
      ]),
    );
  });

  it("follows a runbook to its end, then checks again and says it only reported", async () => {
    const execution: AutomationExecution = {
      executionId: "exec-1",
      region: VIRGINIA,
      documentName: "AWSSupport-TroubleshootManagedInstance",
      parameters: { InstanceId: ["i-0f9e8d7c6b5a40015"] },
      status: "Success",
      startedAt: "2026-11-28T10:04:00Z",
      endedAt: "2026-11-28T10:05:00Z",
      executedBy: "learner",
      steps: [
        {
          stepName: "checkSecurityGroups",
          action: "aws:executeScript",
          status: "Success",
          startedAt: null,
          endedAt: null,
          outputs: {},
          failureMessage: null,
        },
      ],
      outputs: { "generateReport.Report": ["[FAILED] Security group sg-0c4f5a6b7d8e90015"] },
      failureMessage: null,
    };
    backend((cmd) => {
      if (cmd === "apply_readiness_action")
        return { kind: "automation", region: VIRGINIA, executionId: "exec-1" };
      if (cmd === "get_automation_execution") return execution;
      throw new Error(`unexpected ${cmd}`);
    });
    showInstance(report("fail"), report("fail"));
    await fireEvent.click(
      screen
        .getAllByTestId("readiness-apply")
        .find((b) => b.closest("li")?.dataset.check === "agent-registered") as HTMLElement,
    );
    await fireEvent.click(await screen.findByTestId("readiness-confirm-run"));
    const verified = await screen.findByTestId("readiness-fix-verified");
    expect(verified.textContent).toContain("“The agent is online” is still Fail");
    expect(verified.textContent).toContain("The runbook only reports and changes nothing");
    const outcome = screen.getByTestId("readiness-fix-outcome");
    expect(outcome.textContent).toContain(
      "Runbook AWSSupport-TroubleshootManagedInstance: Success",
    );
    expect(outcome.textContent).toContain("[FAILED] Security group sg-0c4f5a6b7d8e90015");
    expect(sent("get_automation_execution")[0]?.args).toMatchObject({
      region: VIRGINIA,
      executionId: "exec-1",
    });
    await waitFor(() =>
      expect(journal.entries.map((e) => [e.kind, e.outcome])).toEqual([["runbook", "success"]]),
    );
  });

  it("says why a refused fix was refused, records the attempt and does not claim a re-check", async () => {
    backend((cmd) => {
      if (cmd === "apply_readiness_action")
        throw {
          code: "AccessDenied",
          message: "ec2:AuthorizeSecurityGroupEgress was denied: the identity needs permission",
        };
      throw new Error(`unexpected ${cmd}`);
    });
    const instance = showInstance(report("fail"), report("pass"));
    await fireEvent.click(
      screen
        .getAllByTestId("readiness-apply")
        .find((b) => b.closest("li")?.dataset.check === "security-group-egress") as HTMLElement,
    );
    await fireEvent.click(await screen.findByTestId("readiness-confirm-run"));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "ec2:AuthorizeSecurityGroupEgress was denied: the identity needs permission",
    );
    expect(instance.rechecks()).toBe(0);
    expect(screen.queryByTestId("readiness-fix-verified")).toBeNull();
    await waitFor(() => expect(journal.entries.map((e) => e.outcome)).toEqual(["failed"]));
  });

  it("offers nothing to apply without an account", () => {
    backend(() => null);
    render(ReadinessChecks, { report: report("fail") });
    expect(screen.queryByTestId("readiness-apply")).toBeNull();
  });

  it.each(["en", "ja"])(
    "has no accessibility violations with a fix previewed, in %s",
    async (language) => {
      locale.set(language);
      backend(() => null);
      const { container } = render(ReadinessChecks, { report: report("fail"), account });
      await fireEvent.click(screen.getAllByTestId("readiness-apply")[1] as HTMLElement);
      await screen.findByTestId("readiness-confirm");
      const result = await axe.run(container, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        rules: { "color-contrast": { enabled: false } },
      });
      expect(result.violations.map((v) => v.id)).toEqual([]);
    },
  );
});

describe("Default Host Management for a region", () => {
  const DHMC: ReadinessAction = { kind: "enableDefaultHostManagement", region: "ap-northeast-1" };
  function region(identity: "pass" | "fail"): RegionReadiness {
    const bastion: ReadinessReport = {
      instanceId: "i-0a1f3c5e7b9d10006",
      name: "bastion-legacy",
      region: "ap-northeast-1",
      verdict: { outcome: identity === "pass" ? "ready" : "notReady", summary: "…" },
      checks: [
        {
          id: "identity",
          title: "The agent has an identity",
          status: identity,
          evidence: "No instance profile is attached and Default Host Management is off.",
          fix:
            identity === "pass"
              ? null
              : { summary: "Enable DHMC.", commands: [], runbook: null, action: DHMC },
        },
      ],
    };
    return {
      summary: {
        region: "ap-northeast-1",
        instances: 1,
        ready: identity === "pass" ? 1 : 0,
        readyWithWarnings: 0,
        notReady: identity === "pass" ? 0 : 1,
        unknown: 0,
        failingChecks: identity === "pass" ? [] : [{ id: "identity", instances: 1 }],
      },
      reports: [bastion],
    };
  }

  it("is offered once, confirmed, applied and the region checked again in place", async () => {
    let applied = false;
    backend((cmd) => {
      if (cmd === "region_readiness") return region(applied ? "pass" : "fail");
      if (cmd === "apply_readiness_action") {
        applied = true;
        return { kind: "done" };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(RegionReadinessDialog, {
      account,
      regions: ["ap-northeast-1", VIRGINIA],
      initialRegion: "ap-northeast-1",
      onClose: () => {},
    });
    const section = await screen.findByTestId("readiness-dhmc");
    expect(section.textContent).toContain("1 instance has no identity now.");
    await fireEvent.click(within(section).getByTestId("readiness-dhmc-apply"));
    const confirm = await within(section).findByTestId("readiness-dhmc-confirm");
    expect(sent("apply_readiness_action")).toEqual([]);
    await fireEvent.click(within(confirm).getByText("Run"));
    const verified = await within(section).findByTestId("readiness-fix-verified");
    expect(verified.textContent?.trim()).toBe(
      "Checked again: every instance in ap-northeast-1 has an identity now.",
    );
    expect(sent("apply_readiness_action").map((c) => c.args)).toEqual([{ account, action: DHMC }]);
    expect(sent("region_readiness")).toHaveLength(2);
    expect(screen.getByTestId("readiness-summary").textContent).toContain("1 ready");
  });
});
