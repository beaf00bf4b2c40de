/**
 * The seed incident in the real app, on the practice account: sshd is stopped on web-prod-2,
 * and AWSSupport-TroubleshootSSH with FixAll reports Success while sshd stays stopped and
 * sshd_config is left at mode 0655. Recovery runs the runbook's checks by itself, before and
 * after, and says "Runbook: Success. Verification: … failed" with the reasons; once the host
 * is really fixed (by Run Command from Mitigation), the command's own verification and
 * "Check again" pass every check. A check the learner adds to the runbook runs beside the
 * catalog's. Both changes are confirmed by typing the instance's id and by a change record,
 * which is on the incident's timeline before them. The verification is shown in Japanese too.
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

    // The learner's own check: the sshd process, saved for the practice account.
    await browser.$(testid("runbook-own-checks-add")).click();
    await browser.$(testid("runbook-own-checks-kind")).selectByAttribute("value", "processRunning");
    await browser.$(testid("runbook-own-checks-name")).setValue("sshd");
    await browser.$(testid("runbook-own-checks-save")).click();
    await browser.$(testid("runbook-own-checks-item")).waitForExist({ timeout: 10000 });
    assert.match(await browser.$(testid("runbook-checks")).getText(), /\(6\)/);
    assert.match(await browser.$(testid("runbook-changes")).getText(), /FixAll/);

    await browser.$(testid("runbook-review")).click();
    await browser.$(testid("runbook-preview-record")).waitForExist({ timeout: 10000 });
    await browser.$(testid("runbook-preview")).scrollIntoView();
    await screenshot(browser, "recovery-change-record");
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
    assert.match(text, /no sshd process runs/);
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
    // The script names sshd, so the sshd checks ran on the instance by themselves.
    const commandHeadline = browser.$(
      `${testid(`command-verification-${WEB_PROD_2}`)} ${testid("verification-headline")}`,
    );
    await browser.waitUntil(
      async () => (await commandHeadline.isExisting()) && /all 5 checks passed/.test(await commandHeadline.getText()),
      { timeout: 60000, timeoutMsg: "the command's verification did not pass" },
    );
    assert.match(await commandHeadline.getText(), /Command: Success/);
    await browser.$(testid(`command-verification-${WEB_PROD_2}`)).scrollIntoView();
    await screenshot(browser, "mitigation-verified");

    await browser.$(testid("phase-recovery")).click();
    await browser.$(testid("verification-again")).click();
    const headline = browser.$(testid("verification-headline"));
    await browser.waitUntil(async () => /all 6 checks passed/.test(await headline.getText()), {
      timeout: 60000,
      timeoutMsg: "the verification did not pass after the fix",
    });
    await browser.$(testid("verification")).scrollIntoView();
    await screenshot(browser, "recovery-verified");
  });

  it("keeps each change record on the timeline before its change", async () => {
    await browser.$(testid("phase-analysis")).click();
    await browser.$(testid("timeline-entry")).waitForExist({ timeout: 10000 });
    const entries = await browser.$$(testid("timeline-entry"));
    const lines = [];
    for (const entry of entries) lines.push(await entry.getText());
    const record = lines.findIndex((l) => l.includes("Change record: AWSSupport-TroubleshootSSH"));
    const runbook = lines.findIndex((l) => /Runbook/.test(l) && l.includes("FixAll"));
    assert.ok(record >= 0, lines.join("\n---\n"));
    assert.ok(record < runbook, lines.join("\n---\n"));
    assert.match(lines[record], /Why: sshd is down on the bastion/);
    assert.match(lines[record], /Confirmed by: /);
    assert.ok(lines.some((l) => l.includes("Change record: AWS-RunShellScript")));
    await screenshot(browser, "analysis-change-records");
  });

  it("shows the verification in Japanese", async () => {
    await browser.$(testid("nav-settings")).click();
    await browser.$(testid("language-ja")).click();
    await browser.$(testid("nav-incident")).click();
    await browser.$(testid("phase-recovery")).click();
    const headline = browser.$(testid("verification-headline"));
    await headline.waitForExist({ timeout: 10000 });
    await browser.waitUntil(async () => /検証/.test(await browser.$(testid("verification")).getText()), {
      timeout: 10000,
      timeoutMsg: "the verification did not show in Japanese",
    });
    await browser.$(testid("verification")).scrollIntoView();
    await screenshot(browser, "recovery-verified-ja");
    // Back to English for the files that run after this one.
    await browser.$(testid("nav-settings")).click();
    await browser.$(testid("language-en")).click();
  });
});
