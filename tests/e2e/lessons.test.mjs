/**
 * Lessons through the real app, as a learner works them: start a scenario from the Lessons
 * screen (the window moves to the practice account and the scenario's region), fix the
 * instance from a Session Manager shell opened in the Fleet, and watch the lesson panel's
 * checks turn green until it says done and the debrief shows. Two scenarios: "sshd stopped"
 * (start and enable sshd) and "sshd_config went missing" (restore the file, its mode, test it,
 * restart sshd), both completed by typing in the terminal only. A third, "an instance that is
 * not managed", is completed from the readiness doctor: its failing egress check, the fix's
 * preview (API call and AWS CLI), the fix applied only when confirmed, and the re-check.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openApp, screenshot, startDriver, startScenario, terminalText, typeKeys } from "./driver.mjs";

const WEB_PROD_2 = "i-0a1f3c5e7b9d10002";
const WEB_US_1 = "i-0f9e8d7c6b5a40013";
const API_US_1 = "i-0f9e8d7c6b5a40015";
// The panel polls every 3 s; a check may take a poll or two to turn.
const CHECK_TIMEOUT = 15000;

let driver;

before(async () => {
  driver = await startDriver();
});

after(() => {
  driver?.kill();
});

/** Whether each of the lesson panel's checks has passed, in order. */
async function panelChecks(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="lesson-panel-check"]')).map(
      (li) => li.dataset.passed === "true",
    ),
  );
}

async function waitForChecks(browser, expected, what) {
  await browser.waitUntil(async () => JSON.stringify(await panelChecks(browser)) === JSON.stringify(expected), {
    timeout: CHECK_TIMEOUT,
    timeoutMsg: `the lesson's checks did not become ${JSON.stringify(expected)} ${what}`,
  });
}

/** From the Fleet, selects the instance's row and opens a shell on it; resolves at the prompt. */
async function openShell(browser, instanceId) {
  await browser.keys(["Control", "1"]);
  const cell = browser.$(`[data-testid="fleet-table"] tr[data-id="${instanceId}"] td`);
  await cell.waitForExist({ timeout: 10000 });
  await cell.click();
  await browser.$('[data-testid="start-session"]').click();
  await browser.$('[data-testid="terminal"] .xterm-rows').waitForExist({ timeout: 10000 });
  await browser.waitUntil(async () => (await terminalText(browser)).includes("sh-5.2$"), {
    timeout: 10000,
    timeoutMsg: "no shell prompt",
  });
  await browser.$('[data-testid="terminal"]').click();
}

/**
 * Types a command and waits until its output shows `expected`; without it, until the next
 * prompt follows the command's line (a command that prints nothing).
 */
async function run(browser, command, expected) {
  const quiet = new RegExp(`${command.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\s*\\n[^\\n]*\\$`);
  await typeKeys(browser, command);
  const want = expected ?? quiet;
  let shown = "";
  await browser.waitUntil(
    async () => {
      shown = await terminalText(browser);
      return want.test(shown);
    },
    { timeout: 10000 },
  ).catch(() => {
    throw new Error(`\`${command}\` did not print ${want}; the terminal shows:\n${shown}`);
  });
}

/** Ends the shell and closes its tab, so the next scenario's terminal is the only one. */
async function closeShell(browser) {
  await browser.keys(["Control", "2"]);
  await browser.$('[data-testid="terminal"]').click();
  await typeKeys(browser, "exit");
  await browser.waitUntil(async () => /exited/.test(await browser.$('[data-testid="session-status"]').getText()), {
    timeout: 10000,
  });
  await browser.$('[data-testid="close-session"]').click();
}

describe("Lessons", () => {
  let browser;

  before(async () => {
    browser = await openApp();
    await browser.$('[data-testid="fleet-table"] tbody tr').waitForExist({ timeout: 20000 });
  });

  after(async () => {
    await browser?.deleteSession();
  });

  it("lists the five scenarios, none started", async () => {
    await browser.keys(["Control", "6"]);
    await browser.$('[data-testid="lesson-row"]').waitForExist({ timeout: 10000 });
    const rows = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="lesson-row"]')).map((li) => [
        li.dataset.id,
        li.querySelector('[data-testid="lesson-status"]').textContent.trim(),
        li.querySelector('[data-testid="lesson-progress"]').textContent.trim(),
      ]),
    );
    assert.equal(rows.length, 5);
    assert.deepEqual(rows.find(([id]) => id === "sshd-stopped"), ["sshd-stopped", "Not started", "0 of 2 checks passed"]);
    assert.ok(rows.every(([, status]) => status === "Not started"));
    await screenshot(browser, "lessons-list");
  });

  it("completes 'sshd stopped' from a Session Manager shell", async () => {
    await startScenario(browser, "sshd-stopped");
    // The window now shows the practice account in the scenario's region.
    assert.equal(await browser.$('[data-testid="region-select"]').getValue(), "ap-northeast-1");
    await waitForChecks(browser, [false, false], "at the start");
    await browser.$('[data-testid="lesson-hint-reveal"]').click();
    await browser.$('[data-testid="lesson-hint-reveal"]').click();
    assert.match(await browser.$$('[data-testid="lesson-hint-command"]')[1].getText(), /aws ssm start-session/);

    await openShell(browser, WEB_PROD_2);
    await run(browser, "systemctl is-active sshd", /\binactive\b/);
    await run(browser, "sudo systemctl start sshd");
    await waitForChecks(browser, [true, false], "after starting sshd");
    await screenshot(browser, "lessons");
    await typeKeys(browser, "sudo systemctl enable sshd");
    await waitForChecks(browser, [true, true], "after enabling sshd");
    const done = browser.$('[data-testid="lesson-panel-done"]');
    await done.waitForDisplayed({ timeout: CHECK_TIMEOUT });
    assert.match(await done.getText(), /Done — every check passed/);

    await browser.$('[data-testid="lesson-see-debrief"]').click();
    const debrief = browser.$('[data-testid="lesson-debrief"]');
    await debrief.waitForDisplayed({ timeout: 5000 });
    const text = await debrief.getText();
    assert.match(text, /a verification on the instance .* is proof/);
    assert.match(text, /Systems Manager Session Manager/);
    const cli = await browser.$$('[data-testid="lesson-cli"]').map((e) => e.getText());
    assert.ok(cli.includes(`aws ssm start-session --region ap-northeast-1 --target ${WEB_PROD_2}`), cli.join("\n"));
    await screenshot(browser, "lessons-debrief");
    assert.equal(await browser.$('[data-testid="lesson-page"]').getAttribute("data-status"), "completed");

    await closeShell(browser);
    await browser.$('[data-testid="lesson-panel-close"]').click();
    await browser.$('[data-testid="lesson-panel"]').waitForExist({ reverse: true, timeout: 5000 });
  });

  it("completes 'sshd_config went missing' by restoring, checking and reloading the file", async () => {
    await startScenario(browser, "sshd-config-missing");
    assert.equal(await browser.$('[data-testid="region-select"]').getValue(), "us-east-1");
    await waitForChecks(browser, [false, false, false, false], "at the start");

    await openShell(browser, WEB_US_1);
    // Why sshd is down (the long journal line may wrap across terminal rows).
    await run(browser, "sudo journalctl -u sshd -n 5", /No\s*such\s*f\s*ile\s*or\s*directory/);
    await run(browser, "sudo cp /usr/share/openssh/sshd_config.default /etc/ssh/sshd_config");
    // The copy took the source's mode (0644): the settings are right, the mode not yet.
    await waitForChecks(browser, [false, true, true, false], "after the copy");
    await run(browser, "sudo chmod 600 /etc/ssh/sshd_config");
    await run(browser, "sudo sshd -t && echo config-ok", /^config-ok\s*$/m);
    await waitForChecks(browser, [true, true, true, false], "before the restart");
    await run(browser, "sudo systemctl restart sshd && systemctl is-active sshd", /^active\s*$/m);
    await waitForChecks(browser, [true, true, true, true], "after the restart");
    await browser.$('[data-testid="lesson-panel-done"]').waitForDisplayed({ timeout: CHECK_TIMEOUT });
    await screenshot(browser, "lessons-config-done");

    await browser.$('[data-testid="lesson-see-debrief"]').click();
    const debrief = browser.$('[data-testid="lesson-debrief"]');
    await debrief.waitForDisplayed({ timeout: 5000 });
    assert.match(await debrief.getText(), /AWS CloudTrail/);
    await screenshot(browser, "lessons-config-debrief");

    // Both completions show in the list.
    await browser.$('[data-testid="lesson-back"]').click();
    await browser.waitUntil(
      async () => {
        const done = await browser.execute(() =>
          Array.from(document.querySelectorAll('[data-testid="lesson-row"][data-status="completed"]')).map(
            (li) => li.dataset.id,
          ),
        );
        return done.join() === "sshd-stopped,sshd-config-missing" || done.join() === "sshd-config-missing,sshd-stopped";
      },
      { timeout: 5000, timeoutMsg: "the list does not show both scenarios completed" },
    );
    await screenshot(browser, "lessons-list-done");
    await closeShell(browser);
  });

  it("completes 'an instance that is not managed' from the readiness doctor's fix", async () => {
    await startScenario(browser, "instance-not-managed");
    assert.equal(await browser.$('[data-testid="region-select"]').getValue(), "us-east-1");
    await waitForChecks(browser, [false, false], "at the start");

    await browser.keys(["Control", "1"]);
    const cell = browser.$(`[data-testid="fleet-table"] tr[data-id="${API_US_1}"] td`);
    await cell.waitForExist({ timeout: 10000 });
    await cell.click();
    await browser.$('[data-testid="check-readiness"]').click();
    const egress = browser.$('[data-testid="readiness-check"][data-check="security-group-egress"]');
    await egress.waitForExist({ timeout: 10000 });
    // Svelte adds its own scoping class beside the status.
    assert.match(await egress.getAttribute("class"), /\bfail\b/);

    await egress.$('[data-testid="readiness-apply"]').click();
    const confirm = browser.$('[data-testid="readiness-confirm"]');
    await confirm.waitForExist({ timeout: 5000 });
    assert.equal(await browser.$('[data-testid="readiness-confirm-api"]').getText(), "ec2:AuthorizeSecurityGroupEgress");
    assert.match(
      await browser.$('[data-testid="readiness-confirm-cli"]').getText(),
      /^aws ec2 authorize-security-group-egress --region us-east-1 --group-id sg-0c4f5a6b7d8e90015 /,
    );
    await confirm.scrollIntoView({ block: "center" });
    await screenshot(browser, "doctor-fix-preview");
    // Nothing changed while the preview is open.
    await waitForChecks(browser, [false, false], "before the fix is confirmed");

    await browser.$('[data-testid="readiness-confirm-run"]').click();
    const verified = browser.$('[data-testid="readiness-fix-verified"]');
    await verified.waitForExist({ timeout: 10000 });
    assert.match(await verified.getAttribute("class"), /\bfixed\b/);
    await browser.waitUntil(
      async () =>
        /\bpass\b/.test(
          await browser.$('[data-testid="readiness-check"][data-check="security-group-egress"]').getAttribute("class"),
        ),
      { timeout: 10000, timeoutMsg: "the re-check did not pass the egress check" },
    );
    await waitForChecks(browser, [true, true], "after the doctor's fix");
    await browser.$('[data-testid="lesson-panel-done"]').waitForDisplayed({ timeout: CHECK_TIMEOUT });
    await browser.$('[data-testid="readiness-fix-outcome"]').scrollIntoView({ block: "center" });
    await screenshot(browser, "doctor-fix-done");
  });
});
