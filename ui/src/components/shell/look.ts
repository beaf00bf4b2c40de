/** Inline custom properties that paint a `.look-chip` (see look.css) in an account's colour. */
import type { AccountColour } from "../../lib/ipc/bindings/AccountColour";

export function chipStyle(colour: AccountColour): string {
  return `--chip: var(--look-${colour}); --chip-text: var(--look-${colour}-text); --chip-edge: var(--look-${colour}-edge)`;
}
