import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import axe from "axe-core";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReadinessReport, RegionReadiness } from "../../lib/ipc";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import RegionReadinessDialog from "./RegionReadinessDialog.svelte";

const BLOCKED: ReadinessReport = {
  instanceId: "i-0blocked",
  name: "batch-7",
  region: "ap-northeast-1",
  verdict: {
    outcome: "notReady",
    summary: "Session Manager won't work, because security group sg-1 allows no HTTPS out.",
  },
  checks: [
    {
      id: "instance-running",
      title: "Instance is running",
      status: "pass",
      evidence: "State: running.",
      fix: null,
    },
    {
      id: "public-admin-ports",
      title: "SSH and RDP closed to the internet",
      status: "warn",
      evidence: "sg-1 allows 22 from 0.0.0.0/0.",
      fix: {
        summary: "Close it; Session Manager needs no inbound port.",
        commands: [],
        runbook: "AWS-DisablePublicAccessForSecurityGroup",
        action: null,
      },
    },
    {
      id: "security-group-egress",
      title: "Security groups allow HTTPS out",
      status: "fail",
      evidence: "sg-1 has no egress rule for TCP 443.",
      fix: {
        summary: "Allow TCP 443 out.",
        commands: [
          "aws ec2 authorize-security-group-egress --group-id sg-1 --protocol tcp --port 443 --cidr 0.0.0.0/0",
        ],
        runbook: null,
        action: null,
      },
    },
  ],
};

const READY: ReadinessReport = {
  instanceId: "i-0ready",
  name: "web-1",
  region: "ap-northeast-1",
  verdict: { outcome: "ready", summary: "Session Manager will work." },
  checks: [
    {
      id: "instance-running",
      title: "Instance is running",
      status: "pass",
      evidence: "State: running.",
      fix: null,
    },
  ],
};

const REGION: RegionReadiness = {
  summary: {
    region: "ap-northeast-1",
    instances: 2,
    ready: 1,
    readyWithWarnings: 0,
    notReady: 1,
    unknown: 0,
    failingChecks: [{ id: "security-group-egress", instances: 1 }],
  },
  reports: [BLOCKED, READY],
};

let calls: { cmd: string; args: unknown }[] = [];

beforeEach(() => {
  calls = [];
  locale.set("en");
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "region_readiness") return REGION;
    if (cmd === "save_region_readiness")
      return "/home/op/Downloads/unyo-readiness-ap-northeast-1-1.md";
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

const props = {
  account: "practice",
  regions: ["ap-northeast-1", "us-east-1"],
  initialRegion: "ap-northeast-1",
  onClose: () => {},
};

describe("RegionReadinessDialog", () => {
  it("summarizes the region and opens an instance's checks, failures first with their fix", async () => {
    render(RegionReadinessDialog, props);
    const summary = await screen.findByTestId("readiness-summary");
    expect(summary.textContent).toBe(
      "2 instances: 1 ready · 0 ready with warnings · 1 not ready · 0 unknown",
    );
    await fireEvent.click(screen.getByText("batch-7"));
    const report = screen.getByTestId("readiness-report");
    expect(within(report).getByTestId("readiness-verdict").textContent).toContain(
      "Not ready Session Manager won't work, because security group sg-1 allows no HTTPS out.",
    );
    const shown = within(report)
      .getAllByTestId("readiness-check")
      .map((li) => li.dataset.check);
    expect(shown).toEqual(["security-group-egress", "public-admin-ports", "instance-running"]);
    expect(within(report).getByText(/authorize-security-group-egress/)).toBeTruthy();
    expect(within(report).getByText("AWS-DisablePublicAccessForSecurityGroup")).toBeTruthy();
    expect(within(report).getByText("1 checks passed")).toBeTruthy();
  });

  it("asks again for another region and saves the report it shows", async () => {
    render(RegionReadinessDialog, props);
    await screen.findByTestId("readiness-summary");
    await fireEvent.change(screen.getByTestId("readiness-region"), {
      target: { value: "us-east-1" },
    });
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === "region_readiness").map((c) => c.args)).toEqual([
        { account: "practice", region: "ap-northeast-1" },
        { account: "practice", region: "us-east-1" },
      ]),
    );
    await screen.findByTestId("readiness-summary");
    await fireEvent.click(screen.getByTestId("readiness-save-markdown"));
    expect(await screen.findByTestId("readiness-saved")).toHaveProperty(
      "textContent",
      "Saved to /home/op/Downloads/unyo-readiness-ap-northeast-1-1.md",
    );
    expect(calls.at(-1)).toEqual({
      cmd: "save_region_readiness",
      args: { readiness: REGION, format: "markdown" },
    });
  });

  it("shows why the doctor could not run, in place", async () => {
    mockIPC((cmd) => {
      if (cmd === "region_readiness")
        throw { code: "Unsupported", message: "the readiness doctor is not available" };
      return null;
    });
    render(RegionReadinessDialog, props);
    expect((await screen.findByRole("alert")).textContent).toBe(
      "the readiness doctor is not available",
    );
    expect((screen.getByTestId("readiness-save-csv") as HTMLButtonElement).disabled).toBe(true);
  });

  it.each(["en", "ja"])("has no accessibility violations in %s", async (language) => {
    locale.set(language);
    const { container } = render(RegionReadinessDialog, props);
    await screen.findByTestId("readiness-summary");
    await fireEvent.click(screen.getByText("batch-7"));
    const result = await axe.run(container, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      rules: { "color-contrast": { enabled: false } },
    });
    expect(result.violations.map((v) => v.id)).toEqual([]);
  });
});
