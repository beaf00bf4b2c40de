/**
 * A change that can alter resources names its target, and Run stays disabled until that name
 * is typed; a change that only reads is confirmed with Run alone.
 */
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { confirmTarget } from "../../lib/incident/run-command.svelte";
import ChangeConfirm from "./ChangeConfirm.svelte";

const PREVIEW = {
  apiCall: "ssm:StartAutomationExecution",
  cli: "aws ssm start-automation-execution --document-name AWSSupport-TroubleshootSSH",
  summary: { en: "Runs the runbook on i-0abc.", ja: "i-0abc に対してランブックを実行します。" },
};

function show(confirmWith: string | null) {
  const onConfirm = vi.fn();
  render(ChangeConfirm, {
    props: {
      preview: PREVIEW,
      cost: "$0.008",
      busy: false,
      onConfirm,
      onCancel: () => {},
      testid: "runbook-preview",
      confirmWith,
    },
  });
  return onConfirm;
}

describe("ChangeConfirm", () => {
  it("keeps Run disabled until the target's name is typed exactly", async () => {
    const onConfirm = show("i-0abc");
    const run = screen.getByTestId("runbook-preview-run") as HTMLButtonElement;
    expect(screen.getByText("Type i-0abc to confirm")).toBeTruthy();
    expect(run.disabled).toBe(true);
    const typed = screen.getByTestId("runbook-preview-confirm");
    await fireEvent.input(typed, { target: { value: "i-0ab" } });
    expect(run.disabled).toBe(true);
    await fireEvent.click(run);
    expect(onConfirm).not.toHaveBeenCalled();
    await fireEvent.input(typed, { target: { value: "i-0abc" } });
    expect(run.disabled).toBe(false);
    await fireEvent.click(run);
    expect(onConfirm).toHaveBeenCalledOnce();
  });

  it("asks nothing more for a change that only reads", () => {
    show(null);
    expect(screen.queryByTestId("runbook-preview-confirm")).toBeNull();
    expect((screen.getByTestId("runbook-preview-run") as HTMLButtonElement).disabled).toBe(false);
  });

  it("names one instance by its id and several by their number", () => {
    expect(confirmTarget(["i-1"])).toBe("i-1");
    expect(confirmTarget(["i-1", "i-2", "i-3"])).toBe("3");
    expect(confirmTarget([])).toBeNull();
  });
});
