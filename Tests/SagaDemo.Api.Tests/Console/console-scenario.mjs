// The console in a real browser: playwright-core (tools/, from npm) driving Debian's Chromium. ConsoleBrowserTests
// prepares the system and passes what to look for in the environment; each step leaves a screenshot in SHOTS.
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(`${process.env.SAGADEMO_TOOLS}/package.json`);
const { chromium } = require("playwright-core");
const { BASE_URL, ORDER_ID, USER_OPERATION_ID, STUCK_RECORD, POISON_MARKER, SHOTS } = process.env;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
context.setDefaultTimeout(15000);

async function open() {
  const page = await context.newPage();
  page.on("dialog", (dialog) => dialog.accept());
  page.on("pageerror", (error) => { console.error(`page error: ${error.message}`); process.exitCode = 1; });
  await page.goto(`${BASE_URL}/console`);
  return page;
}

async function step(page, name, action) {
  const started = Date.now();
  try {
    await action();
  } catch (error) {
    await page.screenshot({ path: `${SHOTS}/${name}-failed.png`, fullPage: true });
    console.error(`${name} failed; the page's status line said: ${await page.locator("#status").innerText()}`);
    throw error;
  }
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  console.log(`ok ${name} (${Date.now() - started} ms)`);
}

try {
  const page = await open();
  const row = (id) => page.locator(`#operations tr[data-id="${id}"]`);
  const record = (p, id) => p.locator(`#dead-letters tr[data-record="${id}"]`);

  await step(page, "1-operations", async () => {
    await row(ORDER_ID).locator("td.status-completed").waitFor();
  });

  await step(page, "2-timeline", async () => {
    await row(ORDER_ID).click();
    await page.locator("#timeline li.step").nth(3).waitFor();
    const states = await page.locator("#timeline li.step").evaluateAll((steps) => steps.map((s) => s.dataset.state));
    assert.deepEqual(states, ["Reserving", "Charging", "Shipping", "Completed"]);
    assert.match(await page.locator("#timeline").innerText(), /warehouse-event\/0@\d+/);
  });

  // A second window that has the dead letters open too, to press replay there after it was done here.
  const other = await open();
  await other.click("#tab-dead-letters");
  await record(other, STUCK_RECORD).locator("button.replay").waitFor();

  await step(page, "3-dead-letters", async () => {
    await page.click("#tab-dead-letters");
    await page.locator(`#dead-letters tr.dead-letter:has-text("${POISON_MARKER}")`).waitFor();
    await record(page, STUCK_RECORD).locator("button.replay").waitFor();
  });

  await step(page, "4-replayed", async () => {
    await record(page, STUCK_RECORD).locator("button.replay").click();
    await page.locator("#status", { hasText: "replay applied" }).waitFor();
    await record(page, STUCK_RECORD).locator("td.decision", { hasText: "replayed by anonymous" }).waitFor();
  });

  await step(other, "5-replayed-again", async () => {
    await record(other, STUCK_RECORD).locator("button.replay").click();
    await other.locator("#status", { hasText: "replay already-applied" }).waitFor();
  });

  await step(page, "6-saga-completed", async () => {
    await page.click("#tab-operations");
    await row(USER_OPERATION_ID).locator("td.status-completed").waitFor();
    await row(USER_OPERATION_ID).click();
    await page.locator('#timeline li.step[data-state="Completed"]').waitFor();
  });
} finally {
  await browser.close();
}
