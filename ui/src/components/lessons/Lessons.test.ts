import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AccountsStore } from "../../lib/accounts/accounts.svelte";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { LessonsStore } from "../../lib/lessons/lessons.svelte";
import { FakeLessons } from "./fixtures";
import HintsPanel from "./HintsPanel.svelte";
import LessonsScreen from "./LessonsScreen.svelte";

let backend: FakeLessons;
const writeText = vi.fn(async (_text: string) => {});

beforeEach(() => {
  backend = new FakeLessons();
  locale.set("en");
  mockIPC(backend.handle);
  writeText.mockClear();
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
});
afterEach(() => clearMocks());

/** The Lessons screen and the hints panel on one store, as App.svelte mounts them. */
function renderLessons() {
  const lessons = new LessonsStore();
  const accounts = new AccountsStore();
  accounts.current = "profile:prod";
  const onOpenLessons = vi.fn();
  render(LessonsScreen, { accounts, lessons });
  render(HintsPanel, { lessons, onOpenLessons });
  return { lessons, accounts, onOpenLessons };
}

async function openAndStart(title: string) {
  await waitFor(() => expect(screen.getAllByTestId("lesson-row")).toHaveLength(2));
  await fireEvent.click(screen.getByText(title));
  await fireEvent.click(await screen.findByTestId("lesson-start"));
  await screen.findByTestId("lesson-panel");
}

describe("Lessons", () => {
  it("lists the scenarios with their status and progress", async () => {
    renderLessons();
    const rows = await screen.findAllByTestId("lesson-row");
    expect(rows.map((r) => within(r).getByTestId("lesson-status").textContent)).toEqual([
      "Not started",
      "Not started",
    ]);
    const first = rows[0] as HTMLElement;
    expect(within(first).getByText("sshd stopped")).toBeTruthy();
    expect(within(first).getByText("sshd stopped: the summary.")).toBeTruthy();
    expect(within(first).getByTestId("lesson-progress").textContent?.trim()).toBe(
      "0 of 2 checks passed",
    );
    expect(within(first).getByTestId("lesson-teaches").textContent?.trim()).toBe(
      "About 10 min · What sshd stopped teaches.",
    );
    expect(within(first).queryByTestId("lesson-reset")).toBeNull();
    expect(screen.queryByTestId("lesson-panel")).toBeNull();
  });

  it("resets one completed lesson's progress and keeps the others", async () => {
    const { lessons } = renderLessons();
    const fake = backend;
    fake.completed.add("sshd-stopped");
    fake.completed.add("disk-full");
    await lessons.load();
    await waitFor(() => expect(screen.getAllByTestId("lesson-reset")).toHaveLength(2));
    const first = screen.getAllByTestId("lesson-row")[0] as HTMLElement;
    await fireEvent.click(within(first).getByTestId("lesson-reset"));
    await waitFor(() =>
      expect(screen.getAllByTestId("lesson-status").map((s) => s.textContent)).toEqual([
        "Not started",
        "Completed",
      ]),
    );
    expect(fake.calls.filter((c) => c.cmd === "reset_lesson")).toEqual([
      { cmd: "reset_lesson", args: { id: "sshd-stopped" } },
    ]);
  });

  it("starts a scenario: the window moves to the practice account in its region and the panel shows the goal and checks", async () => {
    const { accounts } = renderLessons();
    await waitFor(() => expect(screen.getAllByTestId("lesson-row")).toHaveLength(2));
    await fireEvent.click(screen.getByText("sshd stopped"));
    expect(await screen.findByTestId("lesson-situation")).toHaveProperty(
      "textContent",
      "SSH is refused since 09:37.",
    );
    expect(screen.getByText(/switches to the practice account in ap-northeast-1/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId("lesson-start"));

    const panel = await screen.findByTestId("lesson-panel");
    expect(
      backend.calls.some((c) => c.cmd === "start_scenario" && c.args.id === "sshd-stopped"),
    ).toBe(true);
    await waitFor(() => expect(accounts.current).toBe("practice"));
    expect(accounts.region).toBe("ap-northeast-1");
    expect(backend.calls.find((c) => c.cmd === "choose_context")?.args).toEqual({
      account: "practice",
      region: "ap-northeast-1",
    });
    expect(within(panel).getByText("Get sshd running and prove it.")).toBeTruthy();
    expect(
      within(panel)
        .getAllByTestId("lesson-panel-check")
        .map((c) => c.textContent?.replace(/\s+/g, " ").trim()),
    ).toEqual(["○ sshd is running Not yet", "○ sshd is enabled Not yet"]);
    expect(screen.getByTestId("lesson-page").dataset.status).toBe("inProgress");
  });

  it("reveals hints one at a time, and a hint's command can be copied", async () => {
    renderLessons();
    await openAndStart("sshd stopped");
    expect(screen.queryAllByTestId("lesson-hint")).toHaveLength(0);
    await fireEvent.click(screen.getByTestId("lesson-hint-reveal"));
    expect(
      screen.getAllByTestId("lesson-hint").map((h) => h.querySelector("p")?.textContent),
    ).toEqual(["Run the runbook."]);
    expect(screen.getByTestId("lesson-hint-reveal").textContent?.trim()).toBe(
      "Show the next hint (1 of 3 shown)",
    );
    await fireEvent.click(screen.getByTestId("lesson-hint-reveal"));
    expect(screen.getAllByTestId("lesson-hint")).toHaveLength(2);
    expect(screen.getByTestId("lesson-hint-command").textContent).toBe(
      "aws ssm start-session --target i-0a1f3c5e7b9d10002",
    );
    await fireEvent.click(screen.getByTestId("lesson-hint-copy"));
    await waitFor(() =>
      expect(writeText).toHaveBeenCalledWith("aws ssm start-session --target i-0a1f3c5e7b9d10002"),
    );
    expect(await screen.findByText("Copied")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("lesson-hint-reveal"));
    expect(screen.getAllByTestId("lesson-hint")).toHaveLength(3);
    expect(screen.queryByTestId("lesson-hint-reveal")).toBeNull();
    expect(screen.getByText("Every hint is shown.")).toBeTruthy();
  });

  it("turns checks green as the account is fixed, then says done and shows the debrief with copyable CLI commands", async () => {
    const { onOpenLessons } = renderLessons();
    await openAndStart("sshd stopped");
    backend.fix();
    await fireEvent.click(screen.getByTestId("lesson-check-now"));
    await waitFor(() =>
      expect(screen.getAllByTestId("lesson-panel-check").map((c) => c.dataset.passed)).toEqual([
        "true",
        "false",
      ]),
    );
    expect(screen.queryByTestId("lesson-debrief")).toBeNull();
    backend.fix();
    await fireEvent.click(screen.getByTestId("lesson-check-now"));
    const done = await screen.findByTestId("lesson-panel-done");
    expect(done.textContent).toContain("Done — every check passed.");
    await fireEvent.click(within(done).getByTestId("lesson-see-debrief"));
    await waitFor(() => expect(onOpenLessons).toHaveBeenCalled());

    const debrief = await screen.findByTestId("lesson-debrief");
    expect(within(debrief).getByText("A runbook's Success is a claim.")).toBeTruthy();
    expect(within(debrief).getByText("Systems Manager Session Manager")).toBeTruthy();
    expect(within(debrief).getByText("A shell without SSH.")).toBeTruthy();
    expect(
      within(debrief)
        .getAllByTestId("lesson-cli")
        .map((c) => c.textContent),
    ).toEqual([
      "aws ssm start-session --region ap-northeast-1 --target i-0a1f3c5e7b9d10002",
      "aws cloudtrail lookup-events --region ap-northeast-1",
    ]);
    await fireEvent.click(within(debrief).getByTestId("lesson-copy-all"));
    await waitFor(() =>
      expect(writeText).toHaveBeenCalledWith(
        "aws ssm start-session --region ap-northeast-1 --target i-0a1f3c5e7b9d10002\naws cloudtrail lookup-events --region ap-northeast-1",
      ),
    );
    // The list now counts it completed.
    await fireEvent.click(screen.getByTestId("lesson-back"));
    await waitFor(() =>
      expect(screen.getAllByTestId("lesson-status")[0]?.textContent).toBe("Completed"),
    );
    expect(screen.getAllByTestId("lesson-progress")[0]?.textContent?.trim()).toBe(
      "2 of 2 checks passed",
    );
  });

  it("asks before starting over or resetting the account, and Cancel changes nothing", async () => {
    renderLessons();
    await openAndStart("sshd stopped");
    await fireEvent.click(screen.getByTestId("lesson-restart"));
    expect(screen.getByTestId("lessons-confirm").textContent).toContain(
      "Start this scenario over?",
    );
    await fireEvent.click(screen.getByTestId("lessons-confirm-cancel"));
    expect(backend.calls.filter((c) => c.cmd === "start_scenario")).toHaveLength(1);
    await fireEvent.click(screen.getByTestId("lesson-restart"));
    await fireEvent.click(screen.getByTestId("lessons-confirm-yes"));
    await waitFor(() =>
      expect(backend.calls.filter((c) => c.cmd === "start_scenario")).toHaveLength(2),
    );

    await fireEvent.click(screen.getByTestId("lesson-back"));
    await fireEvent.click(screen.getByTestId("lessons-reset-account"));
    expect(screen.getByTestId("lessons-confirm").textContent).toContain(
      "Reset the practice account?",
    );
    await fireEvent.click(screen.getByTestId("lessons-confirm-yes"));
    await waitFor(() => expect(screen.queryByTestId("lesson-panel")).toBeNull());
    expect(backend.calls.some((c) => c.cmd === "reset_practice_account")).toBe(true);
  });

  it("shows the scenario text and the screen's words in Japanese", async () => {
    locale.set("ja");
    renderLessons();
    const rows = await screen.findAllByTestId("lesson-row");
    expect(within(rows[0] as HTMLElement).getByText("sshd が停止している")).toBeTruthy();
    expect(within(rows[0] as HTMLElement).getByTestId("lesson-status").textContent).toBe("未開始");
    expect(
      within(rows[0] as HTMLElement)
        .getByTestId("lesson-progress")
        .textContent?.trim(),
    ).toBe("チェック 2 件中 0 件に合格");
    await fireEvent.click(screen.getByText("sshd が停止している"));
    await fireEvent.click(await screen.findByTestId("lesson-start"));
    const panel = await screen.findByTestId("lesson-panel");
    expect(within(panel).getByText("sshd を復旧し、自分で確認する。")).toBeTruthy();
    expect(within(panel).getByText("レッスン進行中")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("lesson-hint-reveal"));
    expect(within(panel).getByText("ランブックを実行する。")).toBeTruthy();
    backend.fix();
    backend.fix();
    await fireEvent.click(screen.getByTestId("lesson-check-now"));
    expect((await screen.findByTestId("lesson-panel-done")).textContent).toContain(
      "完了 — すべてのチェックに合格しました。",
    );
    expect(await screen.findByText("ランブックの Success は主張にすぎない。")).toBeTruthy();
    expect(screen.getByText("振り返り")).toBeTruthy();
  });

  it("polls the running scenario's checks every few seconds", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      renderLessons();
      await openAndStart("sshd stopped");
      const before = backend.calls.filter((c) => c.cmd === "scenario_detail").length;
      backend.fix();
      await vi.advanceTimersByTimeAsync(3100);
      await waitFor(() =>
        expect(screen.getAllByTestId("lesson-panel-check")[0]?.dataset.passed).toBe("true"),
      );
      expect(backend.calls.filter((c) => c.cmd === "scenario_detail").length).toBeGreaterThan(
        before,
      );
    } finally {
      vi.useRealTimers();
    }
  });
});
