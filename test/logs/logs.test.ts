// The logs function through Caddy and the built Bun bundle (dev stack, a real journal directory
// written by systemd-journal-remote), and its page in Debian's Chromium: filters, paging, audit trail, live.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { ensurePackages } from "../../functions/_build/packages.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { freePort } from "../support/processes.mjs";
import { journalRemote, writeJournal, type ExportEntry } from "./journal-remote.ts";
import { launchChromium, signedInContext } from "../support/browser.ts";

const results = join(root, "test-results");
const directory = mkdtempSync(join(tmpdir(), "caretaker-logs-stack-"));
const now = Date.now();
const minutesAgo = (minutes: number) => String((now - minutes * 60_000) * 1000);

let stack: Awaited<ReturnType<typeof startStack>> & { admin?: { cookie: string } };
let browser: Browser;

/** A box's morning: Caddy, a function, sshd refusing someone, an app failing, and two audited changes. */
function journal(): ExportEntry[] {
  const entries: ExportEntry[] = [];
  for (let i = 0; i < 240; i++) {
    const minute = 240 - i;
    const kind = i % 4;
    if (kind === 0) entries.push({ __REALTIME_TIMESTAMP: minutesAgo(minute), MESSAGE: `handled request ${i} for /index.php`, PRIORITY: "6", _SYSTEMD_UNIT: "caddy.service", SYSLOG_IDENTIFIER: "caddy", _PID: "612" });
    if (kind === 1) entries.push({ __REALTIME_TIMESTAMP: minutesAgo(minute), MESSAGE: `Failed password for root from 198.51.100.${i % 200} port 52${i} ssh2`, PRIORITY: "5", _SYSTEMD_UNIT: "ssh.service", SYSLOG_IDENTIFIER: "sshd", _PID: String(2000 + i) });
    if (kind === 2) entries.push({ __REALTIME_TIMESTAMP: minutesAgo(minute), MESSAGE: `cron job ${i} ran for 0.${i % 10}s`, PRIORITY: "7", _SYSTEMD_UNIT: "cron.service", SYSLOG_IDENTIFIER: "CRON", _PID: "455" });
    if (kind === 3) entries.push({ __REALTIME_TIMESTAMP: minutesAgo(minute), MESSAGE: i % 24 === 3 ? "nextcloud: database connection refused (SQLSTATE[HY000] [2002])" : `nextcloud: cron.php took ${i} ms`, PRIORITY: i % 24 === 3 ? "3" : "6", _SYSTEMD_UNIT: "nextcloud-cron.service", SYSLOG_IDENTIFIER: "php", _PID: "780" });
  }
  const audit = (minute: number, fn: string, action: string, result: string, principal: string): ExportEntry => ({
    __REALTIME_TIMESTAMP: minutesAgo(minute), MESSAGE: `caretaker audit: ${principal} ${action} on ${fn} from 192.0.2.10 -> ${result}`, PRIORITY: "5", SYSLOG_IDENTIFIER: "caretaker-audit",
    _SYSTEMD_UNIT: `caretaker-${fn}@${minute}-4242-0.service`, CARETAKER_AUDIT: "1", CARETAKER_FUNCTION: fn, CARETAKER_PRINCIPAL: principal, CARETAKER_ACTION: action, CARETAKER_RESULT: result, CARETAKER_SOURCE: "192.0.2.10",
  });
  entries.splice(60, 0, audit(180.5, "dyndns", "PUT /api/dyndns/settings", "200", "admin (session 4f2a)"));
  entries.splice(150, 0, audit(90.5, "disks", "POST /api/disks/jobs/grow", "409", "token backup-script (t7)"));
  entries.splice(200, 0, audit(40.5, "auth", "POST /api/auth/tokens", "200", "admin (session 4f2a)"));
  return entries;
}

beforeAll(async () => {
  ensurePackages({ "systemd-journal-remote": journalRemote });
  mkdirSync(results, { recursive: true });
  await writeJournal(directory, "system", journal());
  stack = await startStack({ port: await freePort(), setUp: true, env: { CARETAKER_LOGS_JOURNAL_DIRECTORY: directory } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

test("the API through Caddy: a page, the next page, filters, the audit trail, a live stream, and 422 naming the field", async () => {
  const first = await (await stack.api("/api/logs/journal?limit=50")).json();
  expect(first.entries).toHaveLength(50);
  expect(first.entries[0].message).toBe("nextcloud: cron.php took 239 ms");
  const second = await (await stack.api(`/api/logs/journal?limit=50&after=${encodeURIComponent(first.next)}`)).json();
  expect(new Date(second.entries[0].time).getTime()).toBeLessThanOrEqual(new Date(first.entries[49].time).getTime());
  expect(second.entries.some((entry: { cursor: string }) => first.entries.some((other: { cursor: string }) => other.cursor === entry.cursor))).toBe(false);

  const errors = await (await stack.api("/api/logs/journal?priority=err&unit=nextcloud-cron")).json();
  expect(errors.entries.map((entry: { message: string }) => entry.message)).toEqual(Array(10).fill("nextcloud: database connection refused (SQLSTATE[HY000] [2002])"));
  const text = await (await stack.api(`/api/logs/journal?text=${encodeURIComponent("[HY000]")}&limit=500`)).json();
  expect(text.entries).toHaveLength(10);

  const audit = await (await stack.api("/api/logs/audit")).json();
  expect(audit.entries.map((record: { function: string; result: number }) => `${record.function} ${record.result}`)).toEqual(["auth 200", "disks 409", "dyndns 200"]);

  const stream = await stack.api(`/api/logs/journal/follow?unit=ssh.service&cursor=${encodeURIComponent(first.entries[10].cursor)}`);
  expect(stream.headers.get("content-type")).toBe("text/event-stream");
  const reader = stream.body!.getReader();
  let events = "";
  while ((events.match(/^event: entry$/gm) ?? []).length < 2) events += new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  expect(events).toMatch(/^retry: 1000$/m);
  expect(events).toContain("Failed password for root");

  const bad = await stack.api("/api/logs/journal?priority=loud");
  expect(bad.status).toBe(422);
  expect((await bad.json()).error.message).toContain("query.priority");
});

test("the page: filter, older entries, the audit trail, follow live; a screenshot", async () => {
  const context = await signedInContext(browser, stack, { viewport: { width: 1200, height: 1000 }, locale: "en-US" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${stack.url}/#/logs`);
  const rows = page.getByTestId("logs-table").locator("tbody tr");
  await rows.first().waitFor();
  await expect(rows.count()).resolves.toBe(100);
  await page.getByRole("button", { name: "Older entries" }).click();
  await expect.poll(() => rows.count()).toBe(200);

  const filters = page.getByTestId("logs-filters");
  await filters.getByLabel("At least as severe as").selectOption("err");
  await filters.getByRole("button", { name: "Show" }).click();
  await expect.poll(() => rows.count()).toBe(10);
  await expect(rows.first().locator("td").nth(3).textContent()).resolves.toContain("database connection refused");
  await expect(page.getByRole("button", { name: "Older entries" }).count()).resolves.toBe(0);

  // older entries only, then live: the stream brings the newer ones (from the newest shown) to the top
  await filters.getByLabel("At least as severe as").selectOption("");
  await filters.getByLabel("Unit").fill("ssh.service");
  await filters.getByLabel("To").fill(new Date(now - 120 * 60_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 19));
  await filters.getByRole("button", { name: "Show" }).click();
  await expect.poll(() => rows.count()).toBe(30);
  await page.getByTestId("logs-live").check();
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(60);
  await expect(page.getByText("following live")).toBeTruthy();
  await page.screenshot({ path: join(results, "logs-page.png"), fullPage: false });
  await page.getByTestId("logs-live").uncheck();

  await page.getByRole("button", { name: "Audit trail" }).click();
  const audit = page.getByTestId("audit-table").locator("tbody tr");
  await expect.poll(() => audit.count()).toBe(3);
  await expect(audit.nth(1).locator("td").allTextContents()).resolves.toEqual([expect.any(String), "token backup-script (t7)", "disks", "POST /api/disks/jobs/grow", "409", "192.0.2.10"]);
  await page.screenshot({ path: join(results, "logs-audit-page.png"), fullPage: false });
  expect(problems).toEqual([]);
  await context.close();
});
