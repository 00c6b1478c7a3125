// The archive browser and the verified-restore line of the backups page in Debian's Chromium against
// the real stack and real borg: browse into a folder, tick a file, restore it; verify a sample.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { freePort } from "../support/processes.mjs";
import { launchChromium, signedInContext } from "../support/browser.ts";

const results = join(root, "test-results");
type Api = (path: string, init?: { method?: string; body?: unknown }) => Promise<Response>;

let stack: { url: string; api: Api; admin?: { cookie: string }; stop(): Promise<void> };
let browser: Browser;
let data: string;
let srv: string;
const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

async function idle() {
  for (let tries = 0; tries < 200; tries++) {
    const [status] = await (await stack.api("/api/backups/repositories")).json();
    if (!status.running) return status;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error("the job did not finish");
}

beforeAll(async () => {
  mkdirSync(results, { recursive: true });
  data = mkdtempSync(join(tmpdir(), "backups-browse-page-"));
  mkdirSync(join(data, "letters"));
  writeFileSync(join(data, "letters/to-grandma.txt"), "Dear grandma,\n");
  writeFileSync(join(data, "letters/to-bank.txt"), "Dear bank,\n");
  writeFileSync(join(data, "photo.jpg"), randomBytes(300_000));
  srv = mkdtempSync("/srv/caretaker-browse-page-");
  stack = await startStack({ port: await freePort(), setUp: true });
  await stack.api("/api/backups/repositories/usb", { method: "PUT", body: {
    location: join(srv, "repo"), appendOnly: false, passphrase: "browse page passphrase", sources: [{ name: "files", paths: [data], excludes: [] }],
    hooks: { before: [], after: [] }, retention: {}, maxAgeHours: 26, schedule: { create: null, check: null },
  } });
  for (const job of ["init", "create"]) {
    await stack.api(`/api/backups/repositories/usb/jobs/${job}`, { method: "POST", body: {} });
    await idle();
  }
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(data, { recursive: true, force: true });
  if (srv) rmSync(srv, { recursive: true, force: true });
});

test("browse into a folder of an archive, tick a file, restore it; verify a sample from the page", async () => {
  const context = await signedInContext(browser, stack, { viewport: { width: 1100, height: 1400 }, locale: "en-US" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${stack.url}/#/backups`);
  const card = page.getByTestId("backups-repository");
  await card.locator("summary", { hasText: "Restore" }).click();
  await card.getByRole("button", { name: "Browse this archive" }).click();
  const browser_ = card.getByTestId("backups-browse");
  // down from the archive's top to the backed-up folder, one made-up ancestor at a time
  for (const part of data.slice(1).split("/")) await browser_.getByRole("button", { name: `${part}/` }).click({ timeout: 15_000 });
  await browser_.getByRole("button", { name: "letters/" }).click();
  await browser_.getByLabel("restore to-grandma.txt").check();
  expect(await card.getByLabel("Only these paths (one a line, empty: everything)").inputValue()).toBe(`${data.slice(1)}/letters/to-grandma.txt`);
  const target = join(srv, "restored");
  await card.getByLabel("Into directory").fill(target);
  await page.screenshot({ path: join(results, "backups-page-browse.png"), fullPage: true });
  await card.getByRole("button", { name: "Restore", exact: true }).click();
  await expect.poll(() => card.getByTestId("backups-last-run").textContent(), { timeout: 20_000 }).toMatch(/restore succeeded/);
  expect(sha256(join(target, data, "letters/to-grandma.txt"))).toBe(sha256(join(data, "letters/to-grandma.txt")));

  await card.getByRole("button", { name: "Verify a sample now" }).click();
  await expect.poll(() => card.getByTestId("backups-verification").getAttribute("data-ok"), { timeout: 20_000 }).toBe("true");
  expect(await card.getByTestId("backups-verification").textContent()).toMatch(/verified 3 of 3 files .* every checksum matches/);
  await idle();
  expect(problems).toEqual([]);
});
