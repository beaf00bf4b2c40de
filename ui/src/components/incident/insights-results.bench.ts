/**
 * How fast the Logs Insights results answer with a full result set (10,000 rows, the
 * service's maximum): a stream update that replaces the table, and a keystroke in the row
 * filter. Measured in jsdom (slower than the app's web view). `npm run bench`.
 */
import { fireEvent, render, screen } from "@testing-library/svelte";
import { flushSync } from "svelte";
import { locale } from "svelte-i18n";
import { bench, describe } from "vitest";
import "../../lib/i18n";
import { InsightsStore } from "../../lib/incident/insights.svelte";
import { insightsProgress } from "../../test/incident-fixtures";
import InsightsResults from "./InsightsResults.svelte";

const COUNT = 10_000;

const ROWS = Array.from({ length: COUNT }, (_, n) => [
  `2026-11-28 09:${String(Math.floor(n / 600) % 60).padStart(2, "0")}:${String(Math.floor(n / 10) % 60).padStart(2, "0")}.000`,
  n % 7 === 0
    ? `web-prod-${n % 12} ERROR upstream timed out after ${n % 30} s (request ${n})`
    : `web-prod-${n % 12} INFO GET /api/items/${n} 200 ${n % 250} ms`,
]);

function mounted() {
  locale.set("en");
  const insights = new InsightsStore();
  insights.progress = insightsProgress("Complete", ROWS);
  render(InsightsResults, { insights });
  flushSync();
  return { insights, input: screen.getByTestId("insights-row-filter") };
}

describe(`${COUNT} Logs Insights rows`, () => {
  const { insights, input } = mounted();
  let n = 0;
  bench(
    "a stream update replacing the table",
    () => {
      // Each read of a running query is a whole new table.
      insights.progress = insightsProgress(n++ % 2 ? "Running" : "Complete", ROWS.slice());
      flushSync();
    },
    { time: 3000 },
  );
  const queries = ["error", "web-prod-7", "timed out after 2", "/api/items/99", ""];
  let next = 0;
  bench(
    "filter keystroke to rendered rows",
    () => {
      const value = queries[next++ % queries.length] ?? "";
      void fireEvent.input(input, { target: { value } });
      flushSync();
    },
    { time: 3000 },
  );
});
