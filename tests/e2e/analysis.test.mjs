/**
 * Analysis through the real app on the practice account: a shell opened from the Fleet goes
 * on the incident by itself, with its end and duration; the responder sets the incident's
 * severity and status, puts the shell on the timeline as the moment it was detected, adds a
 * note, drafts a status update, writes the review with an action item, and saves the report
 * as one HTML file that opens on its own.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { openApp, screenshot, startDriver, terminalText, typeKeys } from "./driver.mjs";

const WEB_PROD_1 = "i-0a1f3c5e7b9d10001";
const testid = (id) => `[data-testid="${id}"]`;

let driver;

before(async () => {
  driver = await startDriver();
});

after(() => {
  driver?.kill();
});

describe("Analysis on the practice account", () => {
  let browser;

  before(async () => {
    browser = await openApp();
    await browser.$(`${testid("fleet-table")} tbody tr`).waitForExist({ timeout: 20000 });
  });

  after(async () => {
    await browser?.deleteSession();
  });

  it("records a shell opened from the Fleet, with how it ended", async () => {
    await browser.$(`${testid("fleet-table")} tr[data-id="${WEB_PROD_1}"] td`).click();
    await browser.$(testid("start-session")).click();
    await browser.$(`${testid("terminal")} .xterm-rows`).waitForExist({ timeout: 10000 });
    await browser.waitUntil(async () => (await terminalText(browser)).includes("sh-5.2$"), { timeout: 10000 });
    await browser.$(testid("terminal")).click();
    await typeKeys(browser, "exit");
    await browser.waitUntil(
      async () => (await browser.$(testid("session-status")).getText()).includes("exited with status 0"),
      { timeout: 10000 },
    );
    await browser.$(testid("close-session")).click();

    await browser.keys(["Control", "5"]);
    await browser.$(testid("phase-analysis")).click();
    const entry = browser.$(`${testid("timeline-entry")}*=Session Manager shell → ${WEB_PROD_1}`);
    await entry.waitForExist({ timeout: 10000 });
    await browser.waitUntil(async () => /the shell exited with status 0 after \d+ s/.test(await entry.getText()), {
      timeout: 10000,
      timeoutMsg: "the shell's end was not recorded",
    });
    assert.match(await entry.getText(), /aws ssm start-session --target i-0a1f3c5e7b9d10001 --region ap-northeast-1/);
  });

  it("sets the incident's state and curates its timeline", async () => {
    const state = browser.$(testid("incident-state"));
    await state.$(testid("state-title")).setValue("sshd check on web-prod-1");
    await state.$(testid("state-severity")).selectByAttribute("value", "sev2");
    await state.$(testid("state-status")).selectByAttribute("value", "identified");
    await state.$(testid("state-summary")).setValue("Checked sshd from a Session Manager shell.");
    await state.$(testid("state-affected")).setValue(WEB_PROD_1);
    await state.$(testid("state-save")).click();
    await browser.waitUntil(
      async () => /Severity Not set → SEV2; Status Investigating → Identified/.test(await browser.$(testid("timeline")).getText()),
      { timeout: 10000, timeoutMsg: "the status change did not reach the activity log" },
    );

    await browser.$(testid("note-text")).setValue("Support confirmed logins work again");
    await browser.$(testid("note-add")).click();
    await browser.$(`${testid("entry-detail")}*=Support confirmed`).waitForExist({ timeout: 10000 });

    await browser.$(testid("entry-promote")).click();
    const story = browser.$(testid("story-entry"));
    await story.waitForExist({ timeout: 10000 });
    await story.$(testid("story-edit-open")).click();
    await browser.$(testid("story-edit-moment")).selectByAttribute("value", "detected");
    await browser.$(testid("story-edit-annotation")).setValue("First look at the host");
    await browser.$(testid("story-edit-save")).click();
    await browser.waitUntil(async () => (await browser.$(testid("story-moment")).getText()) === "Detected", {
      timeout: 10000,
    });
    await browser.$(testid("incident-title")).scrollIntoView();
    await screenshot(browser, "analysis");
  });

  it("drafts a status update and writes the review with an action item", async () => {
    await browser.$(testid("update-draft")).click();
    const text = browser.$(testid("update-text"));
    await text.waitForExist({ timeout: 10000 });
    const update = await text.getValue();
    assert.match(update, /^\[SEV2\] sshd check on web-prod-1: Identified/);
    assert.match(update, /Known: Checked sshd from a Session Manager shell\./);
    await browser.$(testid("update-sent")).click();
    await browser.$(`${testid("timeline-entry")}*=[SEV2] sshd check`).waitForExist({ timeout: 10000 });

    await browser.$(testid("review-start")).click();
    const impact = browser.$(testid("review-impact"));
    await impact.waitForExist({ timeout: 10000 });
    assert.match(await impact.getValue(), /i-0a1f3c5e7b9d10001 affected/);
    await browser.$(testid("review-rootCause")).setValue("None: a drill.");
    await browser.$(testid("review-save")).click();
    await browser.$(testid("review-saved")).waitForExist({ timeout: 10000 });
    await browser.$(testid("action-item-text")).setValue("Alarm when sshd stops");
    await browser.$(testid("action-item-owner")).setValue("aki");
    await browser.$(testid("action-item-add")).click();
    await browser.$(testid("action-item")).waitForExist({ timeout: 10000 });
    await screenshot(browser, "analysis-review");
  });

  it("saves the report as one HTML file that needs nothing else", async () => {
    await browser.$(testid("report-format")).selectByAttribute("value", "html");
    await browser.$(testid("report-download")).click();
    const notice = browser.$(testid("report-notice"));
    await notice.waitForExist({ timeout: 10000 });
    const path = /Saved to (.+\.html)\./.exec(await notice.getText())?.[1];
    assert.ok(path, await notice.getText());
    const html = readFileSync(path, "utf8");
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /sshd check on web-prod-1/);
    assert.match(html, /Detected/);
    assert.match(html, /None: a drill\./);
    assert.match(html, /Alarm when sshd stops/);
    assert.match(html, /aws ssm start-session --target i-0a1f3c5e7b9d10001/);
    assert.doesNotMatch(html, /<script|src=|href=/);
  });
});
