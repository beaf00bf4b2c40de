/**
 * The Lessons screen, a scenario's page with its debrief, the hints panel (open with hints
 * shown, done, and folded) and the confirmation pass axe-core's WCAG A/AA rules in English and
 * Japanese. (Colour contrast needs real layout; the screenshots cover it.)
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import axe from "axe-core";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AccountsStore } from "../../lib/accounts/accounts.svelte";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { LessonsStore } from "../../lib/lessons/lessons.svelte";
import { FakeLessons } from "./fixtures";
import HintsPanel from "./HintsPanel.svelte";
import LessonsScreen from "./LessonsScreen.svelte";

async function violations(container: Element): Promise<string[]> {
  const result = await axe.run(container, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    rules: { "color-contrast": { enabled: false } },
  });
  return result.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

let backend: FakeLessons;
beforeEach(() => {
  backend = new FakeLessons();
  mockIPC(backend.handle);
});
afterEach(() => clearMocks());

describe.each(["en", "ja"])("Lessons accessibility in %s", (language) => {
  beforeEach(() => {
    locale.set(language);
  });

  it("the list, a running scenario with its panel and hints, the debrief, and the folded panel", async () => {
    const lessons = new LessonsStore();
    render(LessonsScreen, { accounts: new AccountsStore(), lessons });
    render(HintsPanel, { lessons, onOpenLessons: () => {} });
    await waitFor(() => expect(screen.getAllByTestId("lesson-row")).toHaveLength(2));
    expect(await violations(document.body)).toEqual([]);

    await fireEvent.click(screen.getAllByTestId("lesson-open")[0] as HTMLElement);
    await fireEvent.click(await screen.findByTestId("lesson-start"));
    await screen.findByTestId("lesson-panel");
    await fireEvent.click(screen.getByTestId("lesson-hint-reveal"));
    await fireEvent.click(screen.getByTestId("lesson-hint-reveal"));
    expect(await violations(document.body)).toEqual([]);

    backend.fix();
    backend.fix();
    await fireEvent.click(screen.getByTestId("lesson-check-now"));
    await screen.findByTestId("lesson-debrief");
    await screen.findByTestId("lesson-panel-done");
    expect(await violations(document.body)).toEqual([]);

    await fireEvent.click(screen.getByTestId("lesson-restart"));
    expect(await violations(document.body)).toEqual([]);
    await fireEvent.click(screen.getByTestId("lessons-confirm-cancel"));

    await fireEvent.click(screen.getByTestId("lesson-panel-toggle"));
    expect(screen.getByTestId("lesson-panel").dataset.collapsed).toBe("true");
    expect(await violations(document.body)).toEqual([]);
  }, 60_000);
});
