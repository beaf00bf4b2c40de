/**
 * The seed incident in the real app, on the practice account: sshd is stopped on web-prod-2,
 * and AWSSupport-TroubleshootSSH with FixAll reports Success while sshd stays stopped and
 * sshd_config is left at mode 0655. Recovery runs the runbook's checks by itself, before and
 * after, and says "Runbook: Success. Verification: … failed" with the reasons; once the host
 * is really fixed (by Run Command from Mitigation), "Check again" passes every check. Both
 * changes are confirmed by typing the instance's id, as the preview asks.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { confirmChange, openApp, screenshot, startDriver, startScenario } from "./driver.mjs";

const WEB_PROD_2 = "i-0a1f3c5e7b9d10002";
const testid = (id) => `[data-testid="${id}"]`;
/** The practice runbook runs in real time, its steps a few seconds each. */
const RUNBOOK_TIMEOUT = 90000;

let driver;

before(async () => {
  driver = await startDriver();
});

after(() => {
  driver?.kill();
});

describe("Recovery verifies what a runbook claims", () => {
  let browser;

  before(async () => {
    browser = await openApp();
    await browser.$(`${testid("fleet-table")} tbody tr`).waitForExist({ timeout: 20000 });
    await startScenario(browser, "sshd-stopped");
    await browser.keys(["Control", "5"]);
  });

  after(async () => {
    await browser?.deleteSession();
  });

  it("reports Success from the runbook and a failed verification with its reasons", async () => {
    await browser.$(testid("phase-recovery")).click();
    const select = browser.$(testid("runbook-select"));
    await select.waitForExist({ timeout: 15000 });
    await select.selectByAttribute("value", "AWSSupport-TroubleshootSSH");
    const instance = browser.$(testid("param-InstanceId"));
    await instance.waitForExist({ timeout: 10000 });
    await instance.clearValue();
    await instance.setValue(WEB_PROD_2);
    await browser.$(testid("param-Action")).selectByAttribute("value", "FixAll");
    await browser.$(testid("runbook-review")).click();
    await confirmChange(browser, "runbook-preview");

    const headline = browser.$(testid("verification-headline"));
    await browser.waitUntil(
      async () => (await headline.isExisting()) && /Verification: \d+ of \d+ checks failed/.test(await headline.getText()),
      { timeout: RUNBOOK_TIMEOUT, timeoutMsg: "no failed verification after the runbook" },
    );
    const text = await headline.getText();
    assert.match(text, /Runbook: Success/);
    assert.match(text, /sshd is inactive/);
    assert.match(text, /sshd_config mode 0655 is wider than 0644/);
    await browser.$(testid("verification")).scrollIntoView();
    await screenshot(browser, "recovery-verification");
  });

  it("passes every check once the host is really fixed", async () => {
    await browser.$(testid("phase-mitigation")).click();
    const target = browser.$(testid(`target-${WEB_PROD_2}`));
    await target.waitForExist({ timeout: 10000 });
    await target.click();
    const script = browser.$(testid("command-script"));
    await script.clearValue();
    // One line: WebDriver's typing into the text area drops newlines.
    await script.setValue(
      "sudo systemctl enable --now sshd; sudo chmod 600 /etc/ssh/sshd_config",
    );
    await browser.$(testid("command-review")).click();
    await confirmChange(browser, "command-preview");
    const status = browser.$(testid("invocation-status"));
    await status.waitUntil(async () => /Success|Failed/.test(await status.getText()), {
      timeout: 30000,
      timeoutMsg: "the fix did not end",
    });
    const output = await browser.$(testid("invocation-output")).getText();
    assert.match(await status.getText(), /Success/, `the fix failed: ${output}`);

    await browser.$(testid("phase-recovery")).click();
    await browser.$(testid("verification-again")).click();
    const headline = browser.$(testid("verification-headline"));
    await browser.waitUntil(async () => /all 5 checks passed/.test(await headline.getText()), {
      timeout: 60000,
      timeoutMsg: "the verification did not pass after the fix",
    });
    await browser.$(testid("verification")).scrollIntoView();
    await screenshot(browser, "recovery-verified");
  });
});
