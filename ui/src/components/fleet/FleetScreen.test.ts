import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AccountsStore } from "../../lib/accounts/accounts.svelte";
import type { FleetSnapshot } from "../../lib/ipc";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { ACCOUNTS, FLEET, instance } from "../../test/fixtures";
import FleetScreen from "./FleetScreen.svelte";

let calls: { cmd: string; args: unknown }[] = [];

beforeEach(() => {
  calls = [];
  locale.set("en");
  localStorage.clear();
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "list_fleet") return inRegion(FLEET, args);
    if (cmd === "report_fleet_rendered") return null;
    throw new Error(`unexpected command ${cmd}`);
  });
});

afterEach(() => clearMocks());

/** What the backend answers for one region: that region's part of `snapshot`. */
function inRegion(snapshot: FleetSnapshot, args: unknown): FleetSnapshot {
  const [region] = (args as { scope: { regions: string[] } }).scope.regions;
  return { ...snapshot, instances: snapshot.instances.filter((i) => i.region === region) };
}

/** A window on the practice account with all of its regions, or on `account`. */
function accountsFor(account = "practice", region: string | null = null): AccountsStore {
  const accounts = new AccountsStore();
  accounts.list = ACCOUNTS;
  accounts.knownRegions = ["us-east-1", "ap-northeast-1"];
  accounts.current = account;
  accounts.region = region;
  return accounts;
}

/** A session estimate: free with why, or $0.05 with its arithmetic. */
function estimate(free: boolean, line: string) {
  return {
    total: free ? "0" : "0.05",
    lines: [{ en: line, ja: line }],
    freeTier: null,
    fitsFreeTier: null,
    free,
    upperBound: false,
    unconfirmed: false,
    unknown: null,
    basis: { region: "ap-northeast-1", origin: { kind: "embedded" }, asOf: "2026-10-07" },
  };
}

const props = () => ({
  accounts: accountsFor(),
  onStartSession: async () => null,
  onForwardPort: () => {},
});
const rowNames = () =>
  within(screen.getByTestId("fleet-table"))
    .getAllByRole("row")
    .slice(1)
    .map((r) => r.querySelector("td")?.textContent);

describe("FleetScreen", () => {
  it("lists the instances sorted by name with a summary", async () => {
    render(FleetScreen, props());
    await waitFor(() => expect(rowNames()).toEqual(["bastion-legacy", "web-prod-1", "win-sql-1"]));
    expect(screen.getByTestId("fleet-summary").textContent).toBe(
      "3 instances · 2 online · 0 connection lost · 1 not managed",
    );
    // One request per region, so each region's rows and progress show as they arrive.
    expect(calls.filter((c) => c.cmd === "list_fleet").map((c) => c.args)).toEqual([
      { account: "practice", scope: { regions: ["ap-northeast-1"] } },
      { account: "practice", scope: { regions: ["us-east-1"] } },
    ]);
  });

  it("sorts when a header is activated and says so to assistive tech", async () => {
    render(FleetScreen, props());
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    await fireEvent.click(screen.getByTestId("sort-name"));
    expect(rowNames()).toEqual(["win-sql-1", "web-prod-1", "bastion-legacy"]);
    expect(screen.getByTestId("sort-name").closest("th")?.getAttribute("aria-sort")).toBe(
      "descending",
    );
  });

  it("filters, and offers to clear a filter that hides everything", async () => {
    render(FleetScreen, props());
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    await fireEvent.input(screen.getByTestId("fleet-filter"), {
      target: { value: "nothing-matches" },
    });
    expect(screen.getByText("No instances match these filters.")).toBeTruthy();
    await fireEvent.click(screen.getByText("Clear filters"));
    expect(rowNames()).toHaveLength(3);
  });

  it("opens details with the keyboard and closes them with Escape", async () => {
    render(FleetScreen, props());
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    const firstRow = screen.getAllByRole("row")[1] as HTMLElement;
    await fireEvent.keyDown(firstRow, { key: "ArrowDown" });
    const second = screen.getAllByRole("row")[2] as HTMLElement;
    expect(document.activeElement).toBe(second);
    await fireEvent.keyDown(second, { key: "Enter" });
    const detail = await screen.findByTestId("instance-detail");
    expect(within(detail).getByRole("heading", { level: 2 }).textContent).toBe("web-prod-1");
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByTestId("instance-detail")).toBeNull();
  });

  it("opens a session to an EC2 instance at once and says why it is free", async () => {
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "list_fleet") return inRegion(FLEET, args);
      if (cmd === "estimate_session")
        return estimate(true, "Session Manager is free on EC2 instances");
      return null;
    });
    const started: string[] = [];
    render(FleetScreen, {
      ...props(),
      onStartSession: async (row: { id: string }) => {
        started.push(row.id);
        return null;
      },
    });
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    await fireEvent.click(screen.getByText("web-prod-1"));
    expect((await screen.findByTestId("session-cost")).textContent).toBe(
      "Free: Session Manager is free on EC2 instances",
    );
    await fireEvent.click(screen.getByTestId("start-session"));
    await waitFor(() => expect(started).toEqual(["i-0000000000000001"]));
    expect(screen.queryByTestId("session-confirm")).toBeNull();
    expect(calls.find((c) => c.cmd === "estimate_session")?.args).toEqual({
      account: "practice",
      region: "ap-northeast-1",
      nodeId: "i-0000000000000001",
    });
  });

  it("asks before a billed session to a non-EC2 node, with the estimate", async () => {
    const hybrid = instance({ id: "mi-0123456789abcdef0", name: "onprem-db-1" });
    mockIPC((cmd, args) => {
      if (cmd === "list_fleet") return inRegion({ ...FLEET, instances: [hybrid] }, args);
      if (cmd === "estimate_session") return estimate(false, "1 session × $0.05 = $0.05");
      return null;
    });
    const started: string[] = [];
    render(FleetScreen, {
      ...props(),
      onStartSession: async (row: { id: string }) => {
        started.push(row.id);
        return null;
      },
    });
    await fireEvent.click(await screen.findByText("onprem-db-1"));
    await waitFor(() => expect(screen.queryByTestId("start-session")).not.toBeNull());
    await fireEvent.click(screen.getByTestId("start-session"));
    const confirm = await screen.findByTestId("session-confirm");
    expect(within(confirm).getByTestId("session-estimate-figure").textContent).toBe("$0.05");
    expect(confirm.textContent).toContain("1 session × $0.05 = $0.05");
    expect(started).toEqual([]);
    await fireEvent.click(within(confirm).getByTestId("session-confirm-start"));
    await waitFor(() => expect(started).toEqual(["mi-0123456789abcdef0"]));
  });

  it("explains why an unmanaged instance is not managed", async () => {
    render(FleetScreen, props());
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    await fireEvent.click(screen.getByText("bastion-legacy"));
    const note = within(screen.getByTestId("instance-detail")).getByRole("note");
    expect(note.textContent).toContain("AmazonSSMManagedInstanceCore");
  });

  it("reports a failing region inline and still shows the others", async () => {
    mockIPC((cmd, args) => {
      if (cmd === "list_fleet") {
        if ((args as { scope: { regions: string[] } }).scope.regions[0] === "us-east-1") {
          return {
            instances: [],
            failures: [
              { region: "us-east-1", error: { code: "Throttled", message: "Rate exceeded" } },
            ],
          };
        }
        return inRegion(FLEET, args);
      }
      return null;
    });
    render(FleetScreen, props());
    const failure = await screen.findByTestId("fleet-failure");
    expect(failure.textContent).toBe(
      "Practice account (simulated) · us-east-1 could not be listed: Rate exceeded",
    );
    await waitFor(() => expect(rowNames()).toEqual(["bastion-legacy", "web-prod-1"]));
  });

  it("says once, naming the regions, when several regions fail the same way", async () => {
    mockIPC((cmd, args) => {
      if (cmd === "list_fleet") {
        const [region] = (args as { scope: { regions: string[] } }).scope.regions;
        return {
          ...inRegion(FLEET, args),
          failures: [
            {
              region,
              error: {
                code: "Network",
                message: `Systems Manager in ${region} failed with HTTP 500`,
              },
            },
          ],
        };
      }
      return null;
    });
    render(FleetScreen, props());
    await waitFor(() => expect(screen.getAllByTestId("fleet-failure")).toHaveLength(1));
    await waitFor(() =>
      expect(screen.getByTestId("fleet-failure").textContent).toBe(
        "Practice account (simulated) · ap-northeast-1, us-east-1 could not be listed: Systems Manager in ap-northeast-1 failed with HTTP 500",
      ),
    );
    await waitFor(() => expect(rowNames()).toHaveLength(3));
  });

  it("lists a second account beside the first, with an account column", async () => {
    const prodInstance = instance({ id: "i-0prod", name: "prod-api", region: "us-east-1" });
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      const { account } = args as { account: string };
      if (cmd === "list_fleet") {
        return account === "profile:prod"
          ? inRegion({ instances: [prodInstance], failures: [] }, args)
          : inRegion(FLEET, args);
      }
      return null;
    });
    render(FleetScreen, props());
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    const scope = screen.getByTestId("account-scope");
    await fireEvent.click(within(scope).getByText("Accounts: 1"));
    await fireEvent.click(within(scope).getByLabelText("prod"));
    await waitFor(() => expect(rowNames()).toContain("prod-api"));
    const prodRow = screen.getByText("prod-api").closest("tr") as HTMLElement;
    expect(within(prodRow).getByText("prod")).toBeTruthy();
    expect(within(scope).getByText("Accounts: 2")).toBeTruthy();
    // Search runs across both accounts.
    await fireEvent.input(screen.getByTestId("fleet-filter"), { target: { value: "prod" } });
    expect(rowNames()).toEqual(["prod-api", "web-prod-1"]);
  });

  it("says once when a whole account cannot be listed, without asking every region", async () => {
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "list_fleet") throw { code: "MfaRequired", message: "prod needs an MFA code" };
      return null;
    });
    render(FleetScreen, { ...props(), accounts: accountsFor("profile:prod") });
    const alert = await screen.findByTestId("fleet-failure");
    expect(alert.textContent).toBe("prod could not be listed: prod needs an MFA code");
    expect(calls.filter((c) => c.cmd === "list_fleet")).toHaveLength(1);
  });

  it("shows the last listing at once, then replaces it with the fresh one", async () => {
    localStorage.setItem(
      "unyo.fleet.v1:practice",
      JSON.stringify({ savedAt: 0, instances: [instance({ name: "remembered" })] }),
    );
    const waiting: (() => void)[] = [];
    mockIPC(async (cmd, args) => {
      if (cmd === "list_fleet") {
        await new Promise<void>((resolve) => waiting.push(resolve));
        return inRegion(FLEET, args);
      }
      return null;
    });
    render(FleetScreen, props());
    await waitFor(() => expect(rowNames()).toEqual(["remembered"]));
    expect(screen.getByTestId("fleet-progress").textContent).toContain("Showing the listing from");
    expect(screen.getByTestId("fleet-progress").textContent).toContain("0 of 2 regions");
    // Answer each region as it is asked for (the second is asked once the first answered).
    for (let answered = 0; answered < 2; answered++) {
      await waitFor(() => expect(waiting.length).toBe(answered + 1));
      waiting[answered]?.();
    }
    await waitFor(() => expect(screen.queryByTestId("fleet-progress")).toBeNull());
    expect(rowNames()).toEqual(["bastion-legacy", "web-prod-1", "win-sql-1"]);
  });

  it("shows a backend error with its message and a retry", async () => {
    mockIPC((cmd) => {
      if (cmd === "list_fleet") throw { code: "InvalidInput", message: "no region mars-1" };
      return null;
    });
    render(FleetScreen, props());
    // Once every region has answered, nothing listed: one message and a retry, not a list.
    const retry = await screen.findByText("Try again");
    const alert = retry.closest("[role=alert]") as HTMLElement;
    expect(alert.textContent).toContain("no region mars-1");
    expect(screen.getAllByRole("alert")).toHaveLength(1);
  });

  it("shows each instance's patch compliance and filters to the non-compliant", async () => {
    render(FleetScreen, props());
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    const patchCell = (name: string) => {
      const row = screen.getByText(name).closest("tr") as HTMLElement;
      const column = screen
        .getAllByRole("columnheader")
        .findIndex((h) => h.textContent?.includes("Patches"));
      return row.querySelectorAll("td")[column]?.textContent?.trim();
    };
    expect(patchCell("web-prod-1")).toBe("Compliant");
    expect(patchCell("win-sql-1")).toBe("3 missing");
    expect(patchCell("bastion-legacy")).toBe("—No data");
    await fireEvent.change(screen.getByTestId("patch-filter"), {
      target: { value: "nonCompliant" },
    });
    expect(rowNames()).toEqual(["win-sql-1"]);
    expect(screen.getByText("1 of 3 shown")).toBeTruthy();
    await fireEvent.change(screen.getByTestId("patch-filter"), { target: { value: "noData" } });
    expect(rowNames()).toEqual(["bastion-legacy"]);
  });

  it("details the patch counts, baseline, last operation and the CLI to read them", async () => {
    render(FleetScreen, props());
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    await fireEvent.click(screen.getByText("win-sql-1"));
    const section = within(screen.getByTestId("patch-compliance"));
    const value = (label: string) =>
      section.getByText(label).nextElementSibling?.textContent?.trim();
    expect(section.getByRole("heading", { level: 3 }).textContent).toBe("Patch compliance");
    expect(value("Compliance")).toBe("3 missing");
    expect(value("Missing")).toBe("3");
    expect(value("Critical, not installed")).toBe("1");
    expect(value("Security, not installed")).toBe("2");
    expect(value("Installed")).toBe("412");
    expect(value("Patch baseline")).toBe("pb-0d4c6e8a0f2b3c005");
    expect(value("Patch group")).toBe("windows-production");
    expect(value("Last operation")).toMatch(/^Install, finished .*2026/);
    expect(section.getByText(/describe-instance-patch-states/).textContent).toBe(
      "aws ssm describe-instance-patch-states --region us-east-1 --instance-ids i-0000000000000002",
    );
  });

  it("says plainly when Patch Manager has nothing on an instance", async () => {
    const unscanned = instance({ id: "i-0fresh", name: "fresh", region: "us-east-1" });
    mockIPC((cmd, args) =>
      cmd === "list_fleet" ? inRegion({ instances: [unscanned], failures: [] }, args) : null,
    );
    render(FleetScreen, props());
    await waitFor(() => expect(rowNames()).toEqual(["fresh"]));
    await fireEvent.click(screen.getByText("fresh"));
    const section = within(screen.getByTestId("patch-compliance"));
    expect(section.getByText(/has no data for this instance/)).toBeTruthy();
    expect(section.queryByText("Missing")).toBeNull();
    expect(section.getByText(/describe-instance-patch-states/)).toBeTruthy();
  });

  it("speaks Japanese when the locale is Japanese", async () => {
    locale.set("ja");
    render(FleetScreen, props());
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("フリート");
    expect(screen.getByTestId("sort-ping").textContent).toContain("SSM ステータス");
    expect(screen.getByTestId("sort-patches").textContent).toContain("パッチ");
    expect(screen.getByText("3 件欠落")).toBeTruthy();
  });
});
