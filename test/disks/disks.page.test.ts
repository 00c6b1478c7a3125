// The disks page in Debian's Chromium against the real stack and real loop devices: the warnings,
// the usage bars, the disks with their health, and the largest-directories picture.
import { execFileSync } from "node:child_process";
import { mkdirSync, statfsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { freePort } from "../support/processes.mjs";
import { signIn } from "../support/sign-in.ts";
import { attachImage, cleanUp, mount, partition, scratchDirectory } from "./loop-devices.ts";
import { launchChromium } from "../support/browser.ts";

const results = join(root, "test-results");
let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let target: string;
let image: string;

beforeAll(async () => {
  mkdirSync(results, { recursive: true });
  const scratch = scratchDirectory();
  image = join(scratch, "page.img");
  const loop = attachImage(image, 96);
  const [data] = partition(loop, "label: gpt\n,40M,L\n", 1);
  execFileSync("/usr/sbin/mkfs.ext4", ["-q", "-m", "0", "-b", "4096", "-L", "family", data]);
  target = join(scratch, "family");
  mkdirSync(target);
  mount(data, target);
  // a picture worth looking at: photos take most, then backups, then documents; 90 %+ full
  for (const [directory, megabytes] of [["photos/2023", 10], ["photos/2024", 7], ["backups", 4], ["documents", 3], ["music", 2]] as const) {
    mkdirSync(join(target, directory), { recursive: true });
    writeFileSync(join(target, directory, "data.bin"), Buffer.alloc(megabytes * 1024 * 1024, 1));
  }
  execFileSync("/usr/bin/sync");
  // then backups grow until the filesystem is 94 % full
  const stats = statfsSync(target);
  const used = (stats.blocks - stats.bfree) * stats.bsize;
  const size = used + stats.bavail * stats.bsize;
  writeFileSync(join(target, "backups", "more.bin"), Buffer.alloc(Math.max(0, Math.floor(size * 0.94 - used)), 2));
  execFileSync("/usr/bin/sync");
  stack = await startStack({ port: await freePort(), setUp: true });
  // the health job has run once, so the page shows what SMART said of each disk
  await stack.api("/api/disks/jobs/health", { method: "POST", body: {} } as RequestInit);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  expect(cleanUp()).toEqual([]);
});

test("shows the warnings, the usage bars, the disks and where the space went", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: "en-US" });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
  await signIn(page, stack.url, stack.admin!.password, "#/disks");
  await page.getByTestId("disk-warnings").waitFor();

  const inventory = await (await stack.api("/api/disks/inventory")).json();
  const filesystem = inventory.filesystems.find((entry: { mountpoint: string }) => entry.mountpoint === target);
  expect(filesystem.usage.usedPercent).toBeGreaterThanOrEqual(90);
  const warning = page.locator(`[data-testid=disk-warnings] li[data-code=filesystem_nearly_full], [data-testid=disk-warnings] li[data-code=filesystem_full]`).filter({ hasText: target });
  await expect(warning.count()).resolves.toBe(1);
  const meter = page.getByRole("meter", { name: `Space used on ${target}` });
  await expect(meter.getAttribute("aria-valuenow")).resolves.toBe(String(filesystem.usage.usedPercent));

  const disk = page.locator(`section.disk[data-kname=${filesystem.kname.replace(/p1$/, "")}]`);
  await expect(disk.getByTestId("identity").textContent()).resolves.toContain(image);
  await expect(disk.getByTestId("smart").textContent()).resolves.toMatch(/^no SMART \(/);

  await page.getByLabel("Filesystem to scan").selectOption(target);
  await page.getByRole("button", { name: "Find the largest folders" }).click();
  const bars = page.getByRole("list", { name: `Largest folders of ${target}` });
  await bars.waitFor({ timeout: 20_000 });
  const paths = await bars.locator("li.size-bar").evaluateAll((items) => items.map((item) => item.getAttribute("data-path")));
  // largest first, as du measures them
  const du = (name: string) => Number(execFileSync("/usr/bin/du", ["-s", "-x", "--block-size=1", join(target, name)], { encoding: "utf8" }).split("\t")[0]);
  const expected = ["backups", "photos", "documents", "music"].sort((a, b) => du(b) - du(a)).map((name) => join(target, name));
  expect(paths.slice(0, 4)).toEqual(expected);
  await expect(bars.getByRole("meter").first().getAttribute("aria-label")).resolves.toBe(`Space used by ${expected[0]}`);

  await page.screenshot({ path: join(results, "disks-page.png"), fullPage: true });
  expect(problems).toEqual([]);
  await page.close();
});

test("a grow names the disk: the button stays disabled until the identity is typed out", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: "en-US" });
  await signIn(page, stack.url, stack.admin!.password, "#/disks");
  await page.getByRole("button", { name: "Grow to fill the disk" }).first().waitFor();
  const row = page.locator("tr", { hasText: target });
  await row.getByRole("button", { name: "Grow to fill the disk" }).click();
  const form = page.getByRole("form", { name: "Confirm the action" });
  const submit = form.getByRole("button", { name: "Grow" });
  await expect(submit.isDisabled()).resolves.toBe(true);
  await form.getByRole("textbox").fill("WD-SOME-OTHER-DISK");
  await expect(submit.isDisabled()).resolves.toBe(true);
  await form.getByRole("textbox").fill(image);
  await expect(submit.isDisabled()).resolves.toBe(false);
  await form.getByRole("button", { name: "Cancel" }).click();
  await page.close();
});
