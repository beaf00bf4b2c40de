/**
 * The Incident screen on an AWS profile (the moto emulator on loopback), not the practice
 * account: Triage lists CloudWatch's alarms with the one in ALARM first and charts its metric
 * against the threshold; Diagnosis finds the application's log group among the account's and
 * runs a Logs Insights query over it, while CloudTrail (which moto lacks) says what failed and
 * leaves the rest working; Recovery offers the account's own runbook and builds its form from
 * the document's parameters. Screenshots in English, then Triage again in Japanese.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { openApp, screenshot, startDriver, waitForPort } from "./driver.mjs";
import { incidentFixtures } from "./moto-incident.mjs";

const TOKYO = "ap-northeast-1";
const testid = (id) => `[data-testid="${id}"]`;

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const texts = (browser, id) =>
  browser.execute(
    (selector) => Array.from(document.querySelectorAll(selector)).map((e) => e.textContent.trim()),
    testid(id),
  );

let moto;
let driver;

before(async () => {
  const port = await freePort();
  moto = spawn(process.env.UNYO_MOTO_SERVER, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: "ignore",
    env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" },
  });
  await waitForPort(port, 30000, "moto");
  const endpoint = `http://127.0.0.1:${port}`;
  await incidentFixtures(endpoint, TOKYO);
  driver = await startDriver({ env: { AWS_ENDPOINT_URL: endpoint } });
});

after(() => {
  driver?.kill();
  moto?.kill();
});

describe("Incident on an AWS profile", () => {
  let browser;

  before(async () => {
    browser = await openApp();
    await browser.$(`${testid("fleet-table")} tbody tr`).waitForExist({ timeout: 20000 });
    await browser.$(testid("account-select")).selectByAttribute("value", "profile:default");
    await browser.$(testid("nav-incident")).click();
  });

  after(async () => {
    await browser?.deleteSession();
  });

  it("triage lists CloudWatch's alarms, the one in ALARM first, and charts its metric", async () => {
    await browser.waitUntil(
      async () => (await texts(browser, "alarm-name")).includes("api-1-cpu-high"),
      { timeout: 30000, timeoutMsg: "the profile's alarms did not show" },
    );
    const names = await texts(browser, "alarm-name");
    assert.equal(names[0], "api-1-cpu-high", `in alarm first: ${names.join(", ")}`);
    assert.ok(names.includes("api-1-status-check"), names.join(", "));
    const reason = await browser.$(testid("alarm-reason")).getText();
    assert.match(reason, /Threshold Crossed/);
    await browser.$(testid("alarm-name")).click();
    const caption = browser.$(testid("metric-caption"));
    await caption.waitForExist({ timeout: 15000 });
    assert.match(await caption.getText(), /CPUUtilization/);
    await screenshot(browser, "incident-aws-triage");
  });

  it("diagnosis queries the application's log group, and names what CloudTrail could not do", async () => {
    await browser.$(testid("phase-diagnosis")).click();
    await browser.$(testid("log-group-filter")).waitForExist({ timeout: 15000 });
    await browser.$(testid("log-group-filter")).setValue("storefront");
    const group = browser.$('[data-group="/storefront/api"]');
    await group.waitForExist({ timeout: 15000 });
    if (!(await group.isSelected())) await group.click();
    await browser.$(testid("insights-template")).selectByAttribute("value", "latest-events");
    await browser.$(testid("insights-run")).click();
    const rowCount = () =>
      browser.execute(() => document.querySelectorAll('[data-testid="insights-row"]').length);
    await browser.waitUntil(async () => (await rowCount()) > 0, {
      timeout: 20000,
      timeoutMsg: "the Logs Insights query returned no rows",
    });
    // The table draws only the rows in view: read what they say, not the whole table's text.
    const rows = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="insights-row"]')).map((r) => r.innerText),
    );
    assert.match(rows.join("\n"), /connection refused/);
    const summary = browser.$(testid("insights-summary"));
    await summary.waitForExist({ timeout: 10000 });
    // moto leaves LookupEvents unimplemented: the panel says which call failed, and the
    // logs above keep working.
    const trail = browser.$(testid("trail-error"));
    await trail.waitForExist({ timeout: 20000 });
    assert.match(await trail.getText(), /cloudtrail:LookupEvents/);
    await screenshot(browser, "incident-aws-diagnosis");
  });

  it("recovery offers the account's runbook with a form built from its parameters", async () => {
    await browser.$(testid("phase-recovery")).click();
    await browser.$(testid("runbook-search")).waitForExist({ timeout: 15000 });
    await browser.$(testid("runbook-search")).setValue("Storefront");
    await browser.waitUntil(
      async () =>
        (await browser.execute(
          (s) => Array.from(document.querySelector(s)?.options ?? []).map((o) => o.value),
          testid("runbook-select"),
        )).includes("Storefront-RestartService"),
      { timeout: 20000, timeoutMsg: "the account's runbook was not offered" },
    );
    await browser.$(testid("runbook-select")).selectByAttribute("value", "Storefront-RestartService");
    const service = browser.$(testid("param-ServiceName"));
    await service.waitForExist({ timeout: 15000 });
    const allowed = await browser.execute(
      (s) => Array.from(document.querySelector(s).options).map((o) => o.value),
      testid("param-ServiceName"),
    );
    for (const value of ["nginx", "sshd", "storefront-api"]) assert.ok(allowed.includes(value), value);
    assert.equal(await browser.$(testid("param-DryRun")).getAttribute("type"), "checkbox");
    await screenshot(browser, "incident-aws-recovery");
  });

  it("prices the runbook before it runs, and says what it cannot price in this region", async () => {
    await browser.$(testid("param-InstanceId")).setValue("i-0a1b2c3d4e5f60001");
    await browser.$(testid("runbook-review")).click();
    const estimate = browser.$(testid("runbook-preview-estimate"));
    await estimate.waitForExist({ timeout: 15000 });
    // Unyo ships no Automation price for Tokyo: unknown, with why, never another region's.
    assert.equal(await browser.$(testid("runbook-preview-estimate-figure")).getText(), "Cost unknown");
    assert.match(await estimate.getText(), /no price per step for ap-northeast-1/);
    // The free tier is asked once per account.
    await browser.$(testid("automation-history-newSince")).click();
    await browser.waitUntil(
      async () => /your free tier: none/.test(await estimate.getText()),
      { timeout: 10000, timeoutMsg: "the answer did not reach the estimate" },
    );
    // moto has no Price List: the refresh says why, and the estimate stays as it was.
    await browser.$(testid("prices-refresh")).click();
    const refused = browser.$(testid("prices-refresh-error"));
    await refused.waitForExist({ timeout: 20000 });
    assert.match(await refused.getText(), /Price List could not be read/);
    await browser.$(testid("runbook-preview")).scrollIntoView();
    await screenshot(browser, "incident-aws-cost");
  });

  it("shows the same triage in Japanese", async () => {
    await browser.$(testid("nav-settings")).click();
    await browser.$(testid("language-ja")).click();
    await browser.$(testid("nav-incident")).click();
    await browser.$(testid("phase-triage")).click();
    await browser.waitUntil(
      async () => (await texts(browser, "alarm-name")).includes("api-1-cpu-high"),
      { timeout: 30000, timeoutMsg: "the alarms did not show in Japanese" },
    );
    await browser.$(testid("alarm-name")).click();
    await browser.$(testid("metric-caption")).waitForExist({ timeout: 15000 });
    await screenshot(browser, "incident-aws-triage-ja");
  });
});
