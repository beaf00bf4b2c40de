/**
 * A small practice backend for the Lessons tests: two scenarios, one of which is started and
 * then fixed (`fix()`), answering the four lesson commands as the app's backend does.
 */
import type { ScenarioDetail, ScenarioStatus, ScenarioSummary } from "../../lib/ipc";

function summary(
  id: string,
  en: string,
  ja: string,
  status: ScenarioStatus,
  passed: number,
): ScenarioSummary {
  return {
    id,
    title: { en, ja },
    summary: { en: `${en}: the summary.`, ja: `${ja}：概要。` },
    region: id === "sshd-stopped" ? "ap-northeast-1" : "us-east-1",
    instanceId: id === "sshd-stopped" ? "i-0a1f3c5e7b9d10002" : "i-0b2e4d6f8a1c20001",
    status,
    checksPassed: passed,
    checksTotal: 2,
    minutes: id === "sshd-stopped" ? 10 : 8,
    teaches: { en: `What ${en} teaches.`, ja: `${ja}で学ぶこと。` },
  };
}

export class FakeLessons {
  running: string | null = null;
  completed = new Set<string>();
  fixed = 0;
  calls: { cmd: string; args: Record<string, unknown> }[] = [];

  status(id: string): ScenarioStatus {
    if (this.completed.has(id)) return "completed";
    return this.running === id ? "inProgress" : "notStarted";
  }

  /** Fixes one more of the running scenario's checks; all of them completes it. */
  fix(): void {
    this.fixed += 1;
    if (this.running && this.fixed >= 2) this.completed.add(this.running);
  }

  passed(id: string): number {
    if (this.completed.has(id)) return 2;
    return this.running === id ? this.fixed : 0;
  }

  summaries(): ScenarioSummary[] {
    return [
      summary(
        "sshd-stopped",
        "sshd stopped",
        "sshd が停止している",
        this.status("sshd-stopped"),
        this.passed("sshd-stopped"),
      ),
      summary(
        "disk-full",
        "A disk fills up",
        "ディスクがいっぱい",
        this.status("disk-full"),
        this.passed("disk-full"),
      ),
    ];
  }

  detail(id: string): ScenarioDetail {
    const row = this.summaries().find((s) => s.id === id);
    if (!row) throw { code: "InvalidInput", message: `no scenario ${id}` };
    const passed = this.passed(id);
    return {
      summary: row,
      situation: { en: "SSH is refused since 09:37.", ja: "09:37 から SSH が拒否される。" },
      goal: { en: "Get sshd running and prove it.", ja: "sshd を復旧し、自分で確認する。" },
      hints: [
        { text: { en: "Run the runbook.", ja: "ランブックを実行する。" }, command: null },
        {
          text: { en: "Open a shell and look.", ja: "シェルを開いて確かめる。" },
          command: "aws ssm start-session --target i-0a1f3c5e7b9d10002",
        },
        {
          text: { en: "Start it.", ja: "起動する。" },
          command: "sudo systemctl enable --now sshd",
        },
      ],
      checks: [
        { label: { en: "sshd is running", ja: "sshd が稼働している" }, passed: passed >= 1 },
        { label: { en: "sshd is enabled", ja: "sshd が有効" }, passed: passed >= 2 },
      ],
      debrief: {
        lesson: {
          en: "A runbook's Success is a claim.",
          ja: "ランブックの Success は主張にすぎない。",
        },
        services: [
          {
            service: "Systems Manager Session Manager",
            why: { en: "A shell without SSH.", ja: "SSH なしのシェル。" },
            cli: ["aws ssm start-session --region ap-northeast-1 --target i-0a1f3c5e7b9d10002"],
          },
          {
            service: "AWS CloudTrail",
            why: { en: "Who was there before.", ja: "直前に誰がいたか。" },
            cli: ["aws cloudtrail lookup-events --region ap-northeast-1"],
          },
        ],
      },
    };
  }

  /** The mockIPC handler. */
  handle = (cmd: string, args: unknown): unknown => {
    const a = (args ?? {}) as Record<string, unknown>;
    this.calls.push({ cmd, args: a });
    if (cmd === "list_scenarios") return this.summaries();
    if (cmd === "scenario_detail") return this.detail(a.id as string);
    if (cmd === "start_scenario") {
      const id = a.id as string;
      this.running = id;
      this.fixed = 0;
      this.completed.delete(id);
      return this.detail(id);
    }
    if (cmd === "reset_practice_account") {
      this.running = null;
      return null;
    }
    if (cmd === "reset_lesson") {
      const id = a.id as string;
      this.completed.delete(id);
      if (this.running === id) this.running = null;
      return null;
    }
    if (cmd === "choose_context") return null;
    throw new Error(`unexpected command ${cmd}`);
  };
}
