/**
 * Window-wide shortcuts: Ctrl+K (Cmd+K on macOS) opens the palette, Ctrl+Shift+N
 * (Cmd+Shift+N) a new window. Either modifier is accepted on every OS, as for Ctrl/Cmd+1..3.
 */
export type WindowShortcut = "palette" | "newWindow";

/** The letter pressed: the character when it is a Latin letter, else the physical key's. */
function letter(event: KeyboardEvent): string {
  const key = event.key.toLowerCase();
  if (/^[a-z]$/.test(key)) return key;
  return /^Key[A-Z]$/.test(event.code) ? event.code.slice(3).toLowerCase() : key;
}

export function windowShortcut(event: KeyboardEvent): WindowShortcut | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const pressed = letter(event);
  if (pressed === "k" && !event.shiftKey) return "palette";
  if (pressed === "n" && event.shiftKey) return "newWindow";
  return null;
}
