import { fireEvent, render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { get } from "svelte/store";
import { _, locale } from "svelte-i18n";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AccountsStore } from "../../lib/accounts/accounts.svelte";
import { paletteEntries } from "../../lib/palette/entries";
import { ACCOUNTS } from "../../test/fixtures";
import CommandPalette from "./CommandPalette.svelte";

function entries() {
  const accounts = new AccountsStore();
  accounts.list = ACCOUNTS;
  return paletteEntries(accounts, ["fleet", "sessions", "settings"], "fleet", get(_));
}

function open() {
  const onChoose = vi.fn();
  const onClose = vi.fn();
  render(CommandPalette, { entries: entries(), onChoose, onClose });
  return { onChoose, onClose, input: screen.getByRole("combobox") as HTMLInputElement };
}

const chosen = (onChoose: ReturnType<typeof vi.fn>) => onChoose.mock.calls[0]?.[0]?.id;

beforeEach(() => locale.set("en"));

describe("CommandPalette", () => {
  it("is a modal dialog whose text box has the focus", () => {
    const { input } = open();
    const dialog = screen.getByRole("dialog", { name: "Switch account, region or screen" });
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(document.activeElement).toBe(input);
  });

  it("narrows the list as the user types and chooses the first match with Enter", async () => {
    const user = userEvent.setup();
    const { onChoose, input } = open();
    await user.type(input, "tokyo");
    const options = screen.getAllByRole("option");
    expect(options.map((o) => o.dataset.entry)).toEqual(["region-ap-northeast-1"]);
    expect(input.getAttribute("aria-activedescendant")).toBe("palette-region-ap-northeast-1");
    await user.keyboard("{Enter}");
    expect(chosen(onChoose)).toBe("region-ap-northeast-1");
  });

  it("moves through the matches with the arrow keys, wrapping at the ends", async () => {
    const user = userEvent.setup();
    const { onChoose, input } = open();
    await user.type(input, "s");
    const ids = screen.getAllByRole("option").map((o) => o.dataset.entry);
    expect(ids.slice(0, 2)).toEqual(["screen-sessions", "screen-settings"]);
    await user.keyboard("{ArrowDown}");
    expect(screen.getAllByRole("option")[1]?.getAttribute("aria-selected")).toBe("true");
    await user.keyboard("{ArrowUp}{ArrowUp}");
    expect(input.getAttribute("aria-activedescendant")).toBe(`palette-${ids[ids.length - 1]}`);
    await user.keyboard("{ArrowDown}{Enter}");
    expect(chosen(onChoose)).toBe("screen-sessions");
  });

  it("chooses with the mouse", async () => {
    const { onChoose } = open();
    const newWindow = screen
      .getAllByRole("option")
      .find((o) => o.dataset.entry === "action-new-window");
    await fireEvent.click(newWindow as HTMLElement);
    expect(chosen(onChoose)).toBe("action-new-window");
  });

  it("says when nothing matches, and Enter then does nothing", async () => {
    const user = userEvent.setup();
    const { onChoose, input } = open();
    await user.type(input, "zzz");
    expect(screen.queryAllByRole("option")).toEqual([]);
    expect(screen.getByRole("status").textContent).toBe("Nothing matches “zzz”.");
    await user.keyboard("{Enter}");
    expect(onChoose).not.toHaveBeenCalled();
  });

  it("closes on Esc, and keeps Tab inside", async () => {
    const user = userEvent.setup();
    const { onClose, input } = open();
    await user.keyboard("{Tab}");
    expect(document.activeElement).toBe(input);
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalledOnce();
  });

  it("gives the focus back to where it was when it closes", async () => {
    const before = document.createElement("button");
    document.body.append(before);
    before.focus();
    const view = render(CommandPalette, {
      entries: entries(),
      onChoose: vi.fn(),
      onClose: vi.fn(),
    });
    expect(document.activeElement).toBe(screen.getByRole("combobox"));
    view.unmount();
    expect(document.activeElement).toBe(before);
    before.remove();
  });
});
