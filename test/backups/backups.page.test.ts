// The backups page in Debian's Chromium against the real stack and real borg: add a repository in
// the form (next runs shown), create it, back up, reload mid-backup and still see the progress bar.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
let data: string;
let srv: string;

beforeAll(async () => {
  mkdirSync(results, { recursive: true });
  data = mkdtempSync(join(tmpdir(), "backups-page-"));
  // large enough that the backup is still running when the page reloads
  for (let index = 0; index < 12; index++) writeFileSync(join(data, `blob-${index}.bin`), randomBytes(16 * 1024 * 1024));
  srv = mkdtempSync("/srv/caretaker-backups-page-");
  stack = await startStack({ port: await freePort(), setUp: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(data, { recursive: true, force: true });
  if (srv) rmSync(srv, { recursive: true, force: true });
});

test("add a repository, create it, back up; a reload mid-backup keeps the progress bar; the result is shown", async () => {
  const context = await signedInContext(browser, stack, { viewport: { width: 1100, height: 1400 }, locale: "en-US" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${stack.url}/#/backups`);

  const form = page.getByTestId("backups-add");
  await form.getByLabel("Name").fill("usb");
  await form.getByLabel("Location").fill(join(srv, "repo"));
  await form.getByLabel("Passphrase").fill("page test passphrase");
  await form.getByLabel("Paths to back up (one a line)").fill(data);
  await form.getByLabel("Schedule (systemd calendar)").fill("*-*-* 03:00");
  await expect.poll(() => page.getByTestId("backups-calendar").textContent()).toMatch(/3:00/);
  await form.getByRole("button", { name: "Save" }).click();

  const card = page.getByTestId("backups-repository");
  await card.getByRole("button", { name: "Create repository" }).click();
  await expect.poll(() => card.getByTestId("backups-last-run").textContent(), { timeout: 20_000 }).toMatch(/init succeeded/);
  await card.getByRole("button", { name: "Back up now" }).click();
  await page.getByTestId("backups-progress").waitFor({ timeout: 20_000 });
  await page.reload();
  await page.getByTestId("backups-progress").waitFor({ timeout: 10_000 });
  expect(await page.getByTestId("backups-progress").textContent()).toMatch(/files, .* read, .*\/s/);
  await page.screenshot({ path: join(results, "backups-page-progress.png"), fullPage: true });
  await expect.poll(() => card.getByTestId("backups-health").textContent(), { timeout: 60_000 }).toBe("Backed up");
  // the job ends after the archive list is refreshed: wait for it, so nothing writes while the stack stops
  await card.locator("button:enabled", { hasText: "Back up now" }).waitFor({ timeout: 30_000 });
  expect(await card.getByTestId("backups-last-good").textContent()).toMatch(/-files, .* h ago, .*12 files/);
  await page.screenshot({ path: join(results, "backups-page.png"), fullPage: true });
  expect(problems).toEqual([]);
});
