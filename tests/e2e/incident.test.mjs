/**
 * The Incident screen on the practice account, as an on-call operator walks it: Triage shows
 * the alarms and charts one; Diagnosis runs a Logs Insights template that returns rows; a Run
 * Command is previewed (API call, CLI, cost), then run, and each instance's output shows; the
 * Analysis timeline holds it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { confirmChange, openApp, screenshot, startDriver } from "./driver.mjs";

const WEB_PROD_1 = "i-0a1f3c5e7b9d10001";

/** What the Logs Insights form shows, for a failure message. */
async function shown(browser) {
  return browser.execute(() => {
    const text = (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "(none)";
    const chosen = Array.from(document.querySelectorAll('[data-testid="log-group"]'))
      .filter((c) => c.checked)
      .map((c) => c.dataset.group);
    const query = document.querySelector('[data-testid="insights-query"]')?.value;
    return JSON.stringify({
      chosen,
      query,
      summary: text("insights-summary"),
      error: text("insights-error"),
    });
  });
}

let driver;

before(async () => {
  driver = await startDriver();
});

after(() => {
  driver?.kill();
});

describe("Incident", () => {
  let browser;

  before(async () => {
    browser = await openApp();
    await browser.$('[data-testid="fleet-table"] tbody tr').waitForExist({ timeout: 20000 });
    await browser.$('[data-testid="nav-incident"]').click();
  });

  after(async () => {
    await browser?.deleteSession();
  });

  it("triage lists the practice account's alarms and charts the first one", async () => {
    const row = browser.$('[data-testid="alarm-row"]');
    await row.waitForExist({ timeout: 10000 });
    const names = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="alarm-name"]')).map((b) =>
        b.textContent.trim(),
      ),
    );
    assert.ok(names.includes("web-prod-1-cpu-high"), `alarms: ${names.join(", ")}`);
    const caption = browser.$('[data-testid="metric-caption"]');
    await caption.waitForExist({ timeout: 10000 });
    assert.match(await caption.getText(), /CPUUtilization|disk_used_percent/);
    await screenshot(browser, "incident-triage");
  });

  it("diagnosis runs a Logs Insights template over the application logs and shows rows", async () => {
    // With all regions shown, the tools follow the chosen alarm's region; the story is in Tokyo.
    if (await browser.$('[data-testid="incident-region"]').isExisting()) {
      await browser.$('[data-testid="incident-region"]').selectByAttribute("value", "ap-northeast-1");
    }
    await browser.$('[data-testid="phase-diagnosis"]').click();
    // Tokyo's own groups, not the ones of the region shown before.
    await browser.$('[data-group="/storefront/app"]').waitForExist({ timeout: 10000 });
    await browser
      .$('[data-testid="insights-template"]')
      .selectByAttribute("value", "latest-events");
    await browser.$('[data-testid="insights-run"]').click();
    // Counted afresh each time: a `$$` made before the rows exist stays empty.
    const rowCount = () =>
      browser.execute(() => document.querySelectorAll('[data-testid="insights-row"]').length);
    await browser
      .waitUntil(async () => (await rowCount()) > 0, { timeout: 10000 })
      .catch(async () => assert.fail(`the query returned no rows: ${await shown(browser)}`));
    // The table draws only the rows in view: read what they say, not the whole table's text.
    const rows = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="insights-row"]')).map((r) => r.innerText),
    );
    assert.match(rows.join("\n"), /GET \/products 200/);
    await browser.$('[data-testid="trail-row"]').waitForExist({ timeout: 10000 });
    await screenshot(browser, "incident-diagnosis");
  });

  it("mitigation previews a Run Command, runs it only when confirmed, and shows the output", async () => {
    await browser.$('[data-testid="phase-mitigation"]').click();
    const target = browser.$(`[data-testid="target-${WEB_PROD_1}"]`);
    await target.waitForExist({ timeout: 10000 });
    await target.click();
    await browser.$('[data-testid="command-review"]').click();
    const preview = browser.$('[data-testid="command-preview"]');
    await preview.waitForExist({ timeout: 5000 });
    assert.equal(
      await browser.$('[data-testid="command-preview-api"]').getText(),
      "ssm:SendCommand",
    );
    assert.match(
      await browser.$('[data-testid="command-preview-cli"]').getText(),
      new RegExp(`aws ssm send-command .*Values=${WEB_PROD_1}`),
    );
    await screenshot(browser, "incident-preview");
    assert.equal(await browser.$('[data-testid="invocation"]').isExisting(), false);
    await confirmChange(browser, "command-preview");
    const status = browser.$('[data-testid="invocation-status"]');
    await status.waitUntil(async () => /Success|成功/.test(await status.getText()), {
      timeout: 15000,
      timeoutMsg: "the command did not finish with Success",
    });
    const output = await browser.$('[data-testid="invocation-output"]').getText();
    assert.match(output, /Filesystem/);
    assert.match(output, /^active$/m);
    await screenshot(browser, "incident-mitigation");

    await browser.$('[data-testid="phase-analysis"]').click();
    await browser.$('[data-testid="timeline-entry"]').waitForExist({ timeout: 5000 });
    // The Logs Insights query from Diagnosis, the change record, then the command itself.
    const entries = [];
    for (const entry of await browser.$$('[data-testid="timeline-entry"]')) entries.push(await entry.getText());
    assert.ok(
      entries.some((text) => /Run Command/.test(text) && /AWS-RunShellScript/.test(text)),
      entries.join("\n---\n"),
    );
    assert.ok(entries.some((text) => /Logs Insights:/.test(text)), entries.join("\n---\n"));
    await screenshot(browser, "incident-analysis");
  });
});
