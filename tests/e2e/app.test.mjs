/**
 * The real app in the practice account, as a user sees it: the fleet, the detail panel, the
 * account switcher with a broken AWS config, and switching to Japanese (which persists).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { clearField, fleetNames, openApp, screenshot, startDriver, terminalText, typeKeys } from "./driver.mjs";

let driver;

before(async () => {
  driver = await startDriver();
});

after(() => {
  driver?.kill();
});

describe("Unyo in the practice account", () => {
  let browser;

  before(async () => {
    browser = await openApp();
    await browser.$('[data-testid="fleet-table"] tbody tr').waitForExist({ timeout: 20000 });
  });

  after(async () => {
    await browser?.deleteSession();
  });

  it("has the window title Unyo", async () => {
    assert.equal(await browser.getTitle(), "Unyo");
  });

  it("shows every simulated instance in the fleet", async () => {
    const names = await fleetNames(browser);
    assert.ok(names.length >= 20, `only ${names.length} rows`);
    for (const name of ["web-prod-1", "win-sql-1", "bastion-legacy", "legacy-app-1"]) {
      assert.ok(names.includes(name), `${name} missing from ${names}`);
    }
    const summary = await browser.$('[data-testid="fleet-summary"]').getText();
    assert.match(summary, /^22 instances · 14 online · 3 connection lost · 5 not managed$/);
    assert.equal(await browser.$('[data-testid="practice-badge"]').getText(), "Practice");
    await screenshot(browser, "en-fleet");
  });

  it("filters by text and sorts by a column", async () => {
    await browser.$('[data-testid="fleet-filter"]').setValue("win");
    assert.deepEqual(await fleetNames(browser), ["win-ad-1", "win-build-1", "win-iis-1", "win-rdp-jump", "win-sql-1"]);
    await browser.$('[data-testid="sort-name"]').click();
    assert.deepEqual(await fleetNames(browser), ["win-sql-1", "win-rdp-jump", "win-iis-1", "win-build-1", "win-ad-1"]);
    await clearField(browser, '[data-testid="fleet-filter"]');
    assert.equal((await fleetNames(browser)).length, 22);
    await browser.$('[data-testid="sort-name"]').click();
  });

  it("opens an instance's details and explains an old agent", async () => {
    const row = await browser.$('[data-testid="fleet-table"] tr[data-id="i-0a1f3c5e7b9d10007"] td');
    await row.click();
    const detail = await browser.$('[data-testid="instance-detail"]');
    await detail.waitForDisplayed({ timeout: 5000 });
    const text = await detail.getText();
    assert.match(text, /db-proxy-1/);
    assert.match(text, /3\.0\.161\.0/);
    assert.match(text, /AWS-UpdateSSMAgent/);
    await screenshot(browser, "en-detail");
    await browser.keys("Escape");
    await detail.waitForDisplayed({ reverse: true, timeout: 5000 });
  });

  it("lists the AWS profiles and names the broken config line", async () => {
    const options = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="account-select"] option')).map((o) => o.textContent.trim()),
    );
    assert.equal(options[0], "Practice account (simulated)");
    assert.ok(options.some((o) => o.startsWith("prod-admin · us-east-1 · assume role")), options.join("\n"));
    assert.ok(options.some((o) => o.startsWith("staging · ap-northeast-1 · IAM Identity Center")));
    await browser.$('[data-testid="config-issues-toggle"]').click();
    const issues = await browser.$('[data-testid="config-issues"]').getText();
    assert.match(issues, /\.aws\/config, line 17/);
    assert.match(issues, /neither a \[section\] nor/);
    assert.doesNotMatch(await browser.$("body").getText(), /wJalrXUtnFEMI/);
    await screenshot(browser, "en-config-issues");
    await browser.$('[data-testid="config-issues-toggle"]').click();
  });

  it("narrows the fleet to one region", async () => {
    await browser.$('[data-testid="region-select"]').selectByAttribute("value", "us-east-1");
    await browser.waitUntil(async () => (await fleetNames(browser)).length === 10, { timeout: 5000 });
    assert.ok(!(await fleetNames(browser)).includes("web-prod-1"));
    await browser.$('[data-testid="region-select"]').selectByAttribute("value", "");
    await browser.waitUntil(async () => (await fleetNames(browser)).length === 22, { timeout: 5000 });
  });

  it("opens a shell on an instance and runs commands in it", async () => {
    await browser.$('[data-testid="fleet-table"] tr[data-id="i-0a1f3c5e7b9d10001"] td').click();
    await browser.$('[data-testid="start-session"]').click();
    await browser.$('[data-testid="terminal"] .xterm-rows').waitForExist({ timeout: 10000 });
    await browser.waitUntil(async () => (await terminalText(browser)).includes("sh-5.2$"), { timeout: 10000 });
    await browser.$('[data-testid="terminal"]').click();
    await typeKeys(browser, "systemctl is-active sshd");
    await browser.waitUntil(async () => /sshd\s+active/.test(await terminalText(browser)), { timeout: 10000 });
    await typeKeys(browser, "sudo systemctl status nginx");
    await browser.waitUntil(async () => (await terminalText(browser)).includes("Active: active (running)"), {
      timeout: 10000,
    });
    await screenshot(browser, "en-session");
    // Ctrl+1 leaves for the Fleet even from inside the terminal; Ctrl+2 comes back to a
    // session that kept running and kept its scrollback.
    await browser.keys(["Control", "1"]);
    await browser.waitUntil(async () => (await browser.$("h1").getText()) === "Fleet", { timeout: 5000 });
    await browser.keys(["Control", "2"]);
    await browser.waitUntil(async () => (await browser.$("h1=Sessions").isDisplayed()), { timeout: 5000 });
    assert.match(await terminalText(browser), /Active: active \(running\)/);
    await browser.$('[data-testid="terminal"]').click();
    await typeKeys(browser, "exit");
    const status = await browser.$('[data-testid="session-status"]');
    await browser.waitUntil(async () => (await status.getText()).includes("exited with status 0"), { timeout: 10000 });
    await browser.$('[data-testid="close-session"]').click();
    await browser.$('[data-testid="nav-fleet"]').click();
  });

  it("explains why Session Manager cannot reach an instance", async () => {
    // The table may redraw between finding the row and clicking it (a stale element, seen in
    // CI): click until the details are this instance's, not the one opened before.
    const row = '[data-testid="fleet-table"] tr[data-id="i-0a1f3c5e7b9d10004"] td';
    await browser.waitUntil(
      async () => {
        await browser.$(row).click().catch(() => {});
        const detail = browser.$('[data-testid="instance-detail"]');
        return (await detail.isExisting()) && (await detail.getText()).includes("i-0a1f3c5e7b9d10004");
      },
      { timeout: 10000, timeoutMsg: "the lost agent's details did not open" },
    );
    await browser.$('[data-testid="start-session"]').click();
    const refused = await browser.$('[data-testid="session-refused"]');
    await refused.waitForDisplayed({ timeout: 5000 });
    assert.match(await refused.getText(), /can't reach this instance.*stopped reporting/);
    await browser.keys("Escape");
  });

  it("switches to the dark theme and back", async () => {
    const background = () => browser.execute(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await browser.$('[data-testid="nav-settings"]').click();
    await browser.$('[data-testid="theme-dark"]').click();
    await browser.waitUntil(async () => (await background()) !== light, { timeout: 5000 });
    assert.equal(await background(), "rgb(15, 20, 26)");
    await browser.$('[data-testid="nav-fleet"]').click();
    await browser.$('[data-testid="fleet-table"] tbody tr').waitForExist({ timeout: 5000 });
    await screenshot(browser, "en-fleet-dark");
    await browser.$('[data-testid="nav-settings"]').click();
    await browser.$('[data-testid="theme-system"]').click();
    await browser.waitUntil(async () => (await background()) === light, { timeout: 5000 });
    await browser.$('[data-testid="nav-fleet"]').click();
  });

  it("switches to Japanese in Settings", async () => {
    await browser.$('[data-testid="nav-settings"]').click();
    await browser.$('[data-testid="language-ja"]').click();
    const nav = await browser.$('[data-testid="nav-fleet"]');
    // The label, then the shortcut hint (Ctrl+1).
    await browser.waitUntil(async () => (await nav.getText()).startsWith("フリート"), { timeout: 5000 });
    await screenshot(browser, "ja-settings");
    await nav.click();
    await browser.$('[data-testid="fleet-table"] tbody tr').waitForExist({ timeout: 5000 });
    assert.equal(await browser.$("h1").getText(), "フリート");
    assert.match(await browser.$('[data-testid="fleet-summary"]').getText(), /^インスタンス 22 台/);
    await screenshot(browser, "ja-fleet");
  });
});

describe("after a restart", () => {
  it("remembers Japanese", async () => {
    const browser = await openApp();
    try {
      await browser.$('[data-testid="fleet-table"] tbody tr').waitForExist({ timeout: 20000 });
      const settingsLabel = await browser.$('[data-testid="nav-settings"]').getText();
      assert.ok(settingsLabel.startsWith("設定"), settingsLabel);
      assert.equal(await browser.$('[data-testid="sort-ping"]').getText(), "SSM ステータス");
    } finally {
      await browser.deleteSession();
    }
  });
});
