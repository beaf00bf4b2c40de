/**
 * Costs through the real app on the practice account: a runbook's confirmation says it is
 * free and why, and what it would cost on AWS; the Costs screen (Ctrl+7) draws this month's
 * Automation steps (the scheduler's runs and the runbook just run), alarms, custom metrics,
 * dashboards and log data against their free tiers; in English and Japanese.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { confirmChange, openApp, screenshot, startDriver } from "./driver.mjs";

/** The window shows every region; the tools start in us-east-1, where this instance is. */
const WEB_US_1 = "i-0f9e8d7c6b5a40013";
const testid = (id) => `[data-testid="${id}"]`;

let driver;

before(async () => {
  driver = await startDriver();
});

after(() => {
  driver?.kill();
});

describe("Costs on the practice account", () => {
  let browser;

  before(async () => {
    browser = await openApp();
    await browser.$(`${testid("fleet-table")} tbody tr`).waitForExist({ timeout: 20000 });
  });

  after(async () => {
    await browser?.deleteSession();
  });

  it("says a runbook is free on the practice account before it runs", async () => {
    await browser.keys(["Control", "5"]);
    await browser.$(testid("phase-recovery")).click();
    const select = browser.$(testid("runbook-select"));
    await select.waitForExist({ timeout: 15000 });
    await select.selectByAttribute("value", "AWSSupport-TroubleshootManagedInstance");
    const instance = browser.$(testid("param-InstanceId"));
    await instance.waitForExist({ timeout: 10000 });
    await instance.clearValue();
    await instance.setValue(WEB_US_1);
    await browser.$(testid("runbook-review")).click();
    const figure = browser.$(testid("runbook-preview-estimate-figure"));
    await figure.waitForExist({ timeout: 10000 });
    assert.equal(await figure.getText(), "Free");
    const preview = await browser.$(testid("runbook-preview-estimate")).getText();
    assert.match(preview, /the practice account is simulated: nothing is billed/);
    assert.match(preview, /on a real account in us-east-1: \$0\.\d+ \(\d+ steps × \$0\.002/);
    await confirmChange(browser, "runbook-preview");
    const status = browser.$(testid("execution-status"));
    await browser.waitUntil(async () => (await status.getAttribute("data-status")) === "Success", {
      timeout: 90000,
      timeoutMsg: "the runbook did not end",
    });
  });

  it("draws this month's use against the free tiers", async () => {
    await browser.keys(["Control", "7"]);
    const region = browser.$(testid("costs-region"));
    await region.waitForExist({ timeout: 20000 });
    await region.selectByAttribute("value", "us-east-1");
    const automation = browser.$(testid("cost-automation"));
    // The staging API's 40 scheduled starts and stops, and the runbook just run.
    await browser.waitUntil(
      async () =>
        (await automation.isExisting()) &&
        /Steps run by 41 execution\(s\) started this month/.test(await automation.getText()),
      { timeout: 20000, timeoutMsg: "the runbook just run was not counted in us-east-1" },
    );
    assert.match(
      await browser.$(testid("cost-automation-estimate")).getText(),
      /on a real account in us-east-1: \$0\.\d+ \(\d+ steps × \$0\.002/,
    );
    const alarms = browser.$(testid("cost-alarms-used"));
    assert.match(await alarms.getText(), /^\d+ used of 10 free$/);
    assert.match(await browser.$(testid("cost-customMetrics-used")).getText(), /^\d+ used of 10 free$/);
    assert.equal(await browser.$(testid("cost-dashboards-used")).getText(), "0 used of 3 free");
    assert.match(
      await browser.$(testid("cost-logs-used")).getText(),
      /^\d+\.\d{3} GB used of 5\.000 GB free$/,
    );
    await screenshot(browser, "costs");
  });

  it("shows the same month in Japanese", async () => {
    await browser.$(testid("nav-settings")).click();
    await browser.$(testid("language-ja")).click();
    await browser.$(testid("nav-costs")).click();
    const alarms = browser.$(testid("cost-alarms-used"));
    await alarms.waitForExist({ timeout: 20000 });
    await browser.waitUntil(async () => /無料 10 のうち/.test(await alarms.getText()), {
      timeout: 10000,
      timeoutMsg: "the month did not show in Japanese",
    });
    await screenshot(browser, "costs-ja");
    await browser.$(testid("nav-settings")).click();
    await browser.$(testid("language-en")).click();
  });
});
