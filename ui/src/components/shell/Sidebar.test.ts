import { describe, expect, it } from "vitest";
import { screenForShortcut } from "./Sidebar.svelte";

const key = (init: KeyboardEventInit) => new KeyboardEvent("keydown", init);

describe("screenForShortcut", () => {
  it("maps Ctrl or Cmd with a digit to the screen in that place", () => {
    expect(screenForShortcut(key({ key: "1", ctrlKey: true }))).toBe("fleet");
    expect(screenForShortcut(key({ key: "2", metaKey: true }))).toBe("sessions");
    expect(screenForShortcut(key({ key: "3", ctrlKey: true }))).toBe("tunnels");
    expect(screenForShortcut(key({ key: "4", ctrlKey: true }))).toBe("profiles");
    expect(screenForShortcut(key({ key: "5", ctrlKey: true }))).toBe("incident");
    expect(screenForShortcut(key({ key: "6", ctrlKey: true }))).toBe("lessons");
    expect(screenForShortcut(key({ key: "7", ctrlKey: true }))).toBe("costs");
    expect(screenForShortcut(key({ key: "8", ctrlKey: true }))).toBe("settings");
  });

  it("leaves every other key to whoever has the focus", () => {
    expect(screenForShortcut(key({ key: "1" }))).toBeNull();
    expect(screenForShortcut(key({ key: "9", ctrlKey: true }))).toBeNull();
    expect(screenForShortcut(key({ key: "c", ctrlKey: true }))).toBeNull();
    expect(screenForShortcut(key({ key: "1", ctrlKey: true, shiftKey: true }))).toBeNull();
  });
});
