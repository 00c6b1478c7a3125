// The Audit page in Debian's Chromium against the real dev stack: the sandbox table sorts by score with
// coloured badges, and SSH, ports, certificates and updates each show up; screenshot for a human look.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { freePort } from "../support/processes.mjs";
import { launchChromium, signedInContext } from "../support/browser.ts";

const results = join(root, "test-results");

let stack: { url: string; admin?: { cookie: string }; stop(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  mkdirSync(results, { recursive: true });
  stack = await startStack({ port: await freePort(), setUp: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

test("the sandbox table sorts by exposure, badges coloured by level; SSH, ports, certificates and updates render", async () => {
  const context = await signedInContext(browser, stack, { viewport: { width: 1280, height: 1400 }, locale: "en-US" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("response", (response) => response.status() >= 400 && problems.push(`HTTP ${response.status()}: ${response.url()}`));
  await page.goto(`${stack.url}/#/audit`);

  const table = page.getByTestId("sandbox-table");
  await table.waitFor({ timeout: 20_000 });
  await expect.poll(() => page.getByTestId("sandbox-source").textContent()).toContain("Offline");
  const rows = table.locator("tbody tr");
  const names = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute("data-unit")));
  expect(names).toEqual([...names].sort());
  await table.getByRole("button", { name: "Exposure" }).click();
  const scores = await table.getByTestId("score").allTextContents();
  expect(scores.map(Number)).toEqual(scores.map(Number).sort((a, b) => b - a));
  expect(await table.locator("th[aria-sort=descending]").textContent()).toContain("Exposure");
  // a function unit at 1.0 or below is green; the ports job (1.5) is a warning
  expect(await page.locator('tr[data-unit="caretaker-audit@.service"] [data-testid=score]').getAttribute("data-level")).toBe("ok");
  expect(await page.locator('tr[data-unit="caretaker-audit-ports.service"] [data-testid=score]').getAttribute("data-level")).toBe("warning");

  await page.getByTestId("ssh-findings").waitFor({ timeout: 20_000 });
  expect(await page.getByTestId("ssh-findings").locator("li").count()).toBeGreaterThanOrEqual(3);
  await page.getByTestId("ports-table").waitFor({ timeout: 20_000 });
  expect(await page.getByTestId("ports-table").textContent()).toContain("caddy");
  await page.getByTestId("certificates").locator("p").first().waitFor();
  await page.getByTestId("updates").locator(".headline, [data-testid=updates-absent]").first().waitFor({ timeout: 60_000 });
  await table.evaluate((element) => element.parentElement?.scrollTo(0, 0));
  await page.screenshot({ path: join(results, "audit-page.png"), fullPage: true });
  expect(problems).toEqual([]);
  await context.close();
}, 120_000);
