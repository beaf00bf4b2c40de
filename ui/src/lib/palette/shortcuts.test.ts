import { describe, expect, it } from "vitest";
import { windowShortcut } from "./shortcuts";

const press = (init: KeyboardEventInit) => windowShortcut(new KeyboardEvent("keydown", init));

describe("window shortcuts", () => {
  it("opens the palette with Ctrl+K or Cmd+K", () => {
    expect(press({ key: "k", ctrlKey: true })).toBe("palette");
    expect(press({ key: "k", metaKey: true })).toBe("palette");
    expect(press({ key: "K", ctrlKey: true, shiftKey: true })).toBeNull();
    expect(press({ key: "k" })).toBeNull();
    expect(press({ key: "k", ctrlKey: true, altKey: true })).toBeNull();
  });

  it("opens a window with Ctrl+Shift+N or Cmd+Shift+N", () => {
    expect(press({ key: "N", ctrlKey: true, shiftKey: true })).toBe("newWindow");
    expect(press({ key: "N", metaKey: true, shiftKey: true })).toBe("newWindow");
    expect(press({ key: "n", ctrlKey: true })).toBeNull();
  });

  it("goes by the physical key when the layout types another script", () => {
    expect(press({ key: "л", code: "KeyK", ctrlKey: true })).toBe("palette");
    // A Latin letter wins over the key's position (Dvorak's K is elsewhere).
    expect(press({ key: "t", code: "KeyK", ctrlKey: true })).toBeNull();
  });
});
