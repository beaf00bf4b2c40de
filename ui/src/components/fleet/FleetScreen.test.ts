import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { FLEET } from "../../test/fixtures";
import FleetScreen from "./FleetScreen.svelte";

let calls: { cmd: string; args: unknown }[] = [];

beforeEach(() => {
  calls = [];
  locale.set("en");
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "list_fleet") return FLEET;
    if (cmd === "report_fleet_rendered") return null;
    throw new Error(`unexpected command ${cmd}`);
  });
});

afterEach(() => clearMocks());

const props = {
  account: "practice",
  regions: [],
  scopeRegions: ["ap-northeast-1", "us-east-1"],
  onStartSession: async () => null,
  onForwardPort: () => {},
};
const rowNames = () =>
  within(screen.getByTestId("fleet-table"))
    .getAllByRole("row")
    .slice(1)
    .map((r) => r.querySelector("td")?.textContent);

describe("FleetScreen", () => {
  it("lists the instances sorted by name with a summary", async () => {
    render(FleetScreen, props);
    await waitFor(() => expect(rowNames()).toEqual(["bastion-legacy", "web-prod-1", "win-sql-1"]));
    expect(screen.getByTestId("fleet-summary").textContent).toBe(
      "3 instances · 2 online · 0 connection lost · 1 not managed",
    );
    expect(calls[0]).toEqual({
      cmd: "list_fleet",
      args: { account: "practice", scope: { regions: [] } },
    });
  });

  it("sorts when a header is activated and says so to assistive tech", async () => {
    render(FleetScreen, props);
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    await fireEvent.click(screen.getByTestId("sort-name"));
    expect(rowNames()).toEqual(["win-sql-1", "web-prod-1", "bastion-legacy"]);
    expect(screen.getByTestId("sort-name").closest("th")?.getAttribute("aria-sort")).toBe(
      "descending",
    );
  });

  it("filters, and offers to clear a filter that hides everything", async () => {
    render(FleetScreen, props);
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    await fireEvent.input(screen.getByTestId("fleet-filter"), {
      target: { value: "nothing-matches" },
    });
    expect(screen.getByText("No instances match these filters.")).toBeTruthy();
    await fireEvent.click(screen.getByText("Clear filters"));
    expect(rowNames()).toHaveLength(3);
  });

  it("opens details with the keyboard and closes them with Escape", async () => {
    render(FleetScreen, props);
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

  it("explains why an unmanaged instance is not managed", async () => {
    render(FleetScreen, props);
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    await fireEvent.click(screen.getByText("bastion-legacy"));
    const note = within(screen.getByTestId("instance-detail")).getByRole("note");
    expect(note.textContent).toContain("AmazonSSMManagedInstanceCore");
  });

  it("shows a backend error with its message and a retry", async () => {
    mockIPC((cmd) => {
      if (cmd === "list_fleet") throw { code: "InvalidInput", message: "no region mars-1" };
      return null;
    });
    render(FleetScreen, props);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("no region mars-1");
    expect(within(alert).getByText("Try again")).toBeTruthy();
  });

  it("speaks Japanese when the locale is Japanese", async () => {
    locale.set("ja");
    render(FleetScreen, props);
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("フリート");
    expect(screen.getByTestId("sort-ping").textContent).toContain("SSM ステータス");
  });
});
