/**
 * Switching fast and safely: the command palette (Ctrl+K), an account's alias and colour in
 * the window chrome and the OS title, and a second window with its own account and region,
 * each remembered per window. Written to pass in either language, since an earlier file may
 * have left the app in Japanese; it puts the account's look and region back when done.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { clearField, fleetNames, openApp, screenshot, startDriver, typeKeys } from "./driver.mjs";

const ALIAS = "Practice – e2e";
// The practice account's fleet: 22 instances, 12 of them in Tokyo and 10 in N. Virginia.
const ALL = 22;
const TOKYO = 12;
const VIRGINIA = 10;

let driver;

before(async () => {
  driver = await startDriver();
});

after(() => {
  driver?.kill();
});

const testid = (id) => `[data-testid="${id}"]`;

async function waitForRows(browser, count) {
  await browser.waitUntil(async () => (await fleetNames(browser)).length === count, {
    timeout: 10000,
    timeoutMsg: `expected ${count} fleet rows`,
  });
}

const regionValue = (browser) => browser.$(testid("region-select")).getValue();

/**
 * The alias beside the account picker, when it is on screen. (WebKitWebDriver's Get Element
 * Text answers "" for an element with overflow: hidden, which the chip needs for its ellipsis.)
 */
const shownAlias = (browser) =>
  browser.execute(() => {
    const chip = document.querySelector('[data-testid="account-alias"]');
    const box = chip?.getBoundingClientRect();
    return chip && box.width > 0 && box.height > 0 ? chip.textContent : null;
  });

/** The titles of Unyo's top-level windows as the X server has them. */
function osTitles() {
  let ids = "";
  try {
    ids = execFileSync("xdotool", ["search", "--name", "^Unyo"], { encoding: "utf8" });
  } catch {
    return [];
  }
  return ids
    .split("\n")
    .filter(Boolean)
    .map((id) => execFileSync("xdotool", ["getwindowname", id], { encoding: "utf8" }).trim());
}

async function openPalette(browser) {
  await browser.keys(["Control", "k"]);
  await browser.$(testid("palette-input")).waitForDisplayed({ timeout: 5000 });
  assert.equal(
    await browser.execute(() => document.activeElement?.dataset.testid),
    "palette-input",
  );
}

async function chooseInPalette(browser, text) {
  await openPalette(browser);
  await typeKeys(browser, text);
  await browser.$(testid("palette")).waitForExist({ reverse: true, timeout: 5000 });
}

async function label(browser, alias, colour) {
  await browser.$(testid("label-account")).click();
  await browser.$(testid("look-dialog")).waitForDisplayed({ timeout: 5000 });
  await clearField(browser, testid("look-alias"));
  if (alias) await browser.$(testid("look-alias")).setValue(alias);
  await browser.$(testid(`look-colour-${colour}`)).click();
  await browser.$(testid("look-save")).click();
  await browser.$(testid("look-dialog")).waitForExist({ reverse: true, timeout: 5000 });
}

describe("switching accounts and regions", () => {
  let browser;

  before(async () => {
    browser = await openApp();
    await browser.$(`${testid("fleet-table")} tbody tr`).waitForExist({ timeout: 20000 });
  });

  after(async () => {
    await browser?.deleteSession();
  });

  it("switches the region from the palette: Ctrl+K, a few letters, Enter", async () => {
    await waitForRows(browser, ALL);
    await openPalette(browser);
    await screenshot(browser, "palette");
    await typeKeys(browser, "tokyo");
    await browser.$(testid("palette")).waitForExist({ reverse: true, timeout: 5000 });
    assert.equal(await regionValue(browser), "ap-northeast-1");
    await waitForRows(browser, TOKYO);
    assert.ok((await fleetNames(browser)).includes("web-prod-1"));
    assert.ok(!(await fleetNames(browser)).includes("win-sql-1"));
  });

  it("closes the palette with Esc and gives the focus back", async () => {
    await browser.$(testid("fleet-filter")).click();
    await openPalette(browser);
    await browser.keys("Escape");
    await browser.$(testid("palette")).waitForExist({ reverse: true, timeout: 5000 });
    assert.equal(
      await browser.execute(() => document.activeElement?.dataset.testid),
      "fleet-filter",
    );
  });

  it("shows the account's alias and colour in the window chrome and the OS title, after a reload too", async () => {
    await label(browser, ALIAS, "red");
    assert.equal(await shownAlias(browser), ALIAS);
    const chrome = () =>
      browser.execute(() => {
        const bar = document.querySelector('[data-testid="context-bar"]');
        const shell = document.querySelector(".shell");
        return {
          colour: bar.dataset.colour,
          strip: getComputedStyle(bar).borderTopColor,
          frame: getComputedStyle(shell, "::after").borderTopColor,
        };
      });
    const red = { colour: "red", strip: "rgb(198, 40, 40)", frame: "rgb(198, 40, 40)" };
    assert.deepEqual(await chrome(), red);
    await screenshot(browser, "account-label");
    await browser.waitUntil(async () => osTitles().includes(`Unyo — ${ALIAS} · ap-northeast-1`), {
      timeout: 5000,
      timeoutMsg: `OS window titles: ${JSON.stringify(osTitles())}`,
    });

    await browser.refresh();
    await browser.$(`${testid("fleet-table")} tbody tr`).waitForExist({ timeout: 20000 });
    assert.equal(await shownAlias(browser), ALIAS);
    assert.deepEqual(await chrome(), red);
    assert.equal(await regionValue(browser), "ap-northeast-1");
    await waitForRows(browser, TOKYO);
  });

  it("opens a second window that keeps its own region, remembered apart from the first", async () => {
    const [main] = await browser.getWindowHandles();
    await browser.keys(["Control", "Shift", "n"]);
    await browser.waitUntil(async () => (await browser.getWindowHandles()).length === 2, {
      timeout: 10000,
      timeoutMsg: "WebDriver saw no second window",
    });
    const second = (await browser.getWindowHandles()).find((h) => h !== main);
    await browser.switchToWindow(second);
    await browser.$(`${testid("fleet-table")} tbody tr`).waitForExist({ timeout: 20000 });
    // A new window starts where the last choice was made; the label is the account's own.
    assert.equal(await regionValue(browser), "ap-northeast-1");
    assert.equal(await shownAlias(browser), ALIAS);

    await browser.$(testid("region-select")).selectByAttribute("value", "us-east-1");
    await waitForRows(browser, VIRGINIA);
    await browser.waitUntil(async () => osTitles().includes(`Unyo — ${ALIAS} · us-east-1`), {
      timeout: 5000,
      timeoutMsg: `OS window titles: ${JSON.stringify(osTitles())}`,
    });
    assert.ok(osTitles().includes(`Unyo — ${ALIAS} · ap-northeast-1`), JSON.stringify(osTitles()));

    // Each window reopens on its own choice, not on the one made last.
    await browser.refresh();
    await waitForRows(browser, VIRGINIA);
    assert.equal(await regionValue(browser), "us-east-1");
    await browser.switchToWindow(main);
    await browser.refresh();
    await browser.$(`${testid("fleet-table")} tbody tr`).waitForExist({ timeout: 20000 });
    assert.equal(await regionValue(browser), "ap-northeast-1");
    await waitForRows(browser, TOKYO);
  });

  it("puts the account's look and the region back", async () => {
    await label(browser, "", "none");
    assert.equal(await shownAlias(browser), null);
    await chooseInPalette(browser, "all regions");
    assert.equal(await regionValue(browser), "");
    await waitForRows(browser, ALL);
  });
});
