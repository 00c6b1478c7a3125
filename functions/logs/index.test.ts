// GET /api/logs/journal, /audit and /:view/follow in-process, over real journal files that
// systemd-journal-remote wrote and the real journalctl reads (--directory, as in dev mode).
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { ensurePackages } from "../_build/packages.mjs";
import { setUpInProcess } from "../../test/support/credentials.ts";
import { journalRemote, writeJournal, type ExportEntry } from "../../test/logs/journal-remote.ts";
import logs from "./index.ts";
import { AuditPageSchema, JournalPageSchema } from "./schema.ts";

const directory = mkdtempSync(join(tmpdir(), "caretaker-logs-journal-"));
const start = Date.parse("2025-03-01T12:00:00Z");
const at = (second: number) => String((start + second * 1000) * 1000);
let headers: { authorization: string };

function entry(i: number): ExportEntry {
  return { __REALTIME_TIMESTAMP: at(i), MESSAGE: `entry ${i} ${i % 50 === 0 ? "a.b" : "axb"}`, PRIORITY: String(i % 8), _SYSTEMD_UNIT: `app${i % 3}.service`, SYSLOG_IDENTIFIER: "app", _PID: String(100 + i) };
}
const auditEntry = (i: number, fn: string, result: string): ExportEntry => ({
  __REALTIME_TIMESTAMP: at(i), MESSAGE: `caretaker audit: admin POST /api/${fn}/x on ${fn} from local -> ${result}`, PRIORITY: "5", SYSLOG_IDENTIFIER: "caretaker-audit",
  CARETAKER_AUDIT: "1", CARETAKER_FUNCTION: fn, CARETAKER_PRINCIPAL: "admin (session s1)", CARETAKER_ACTION: `POST /api/${fn}/x`, CARETAKER_RESULT: result, CARETAKER_SOURCE: "local",
});

beforeAll(async () => {
  ensurePackages({ "systemd-journal-remote": journalRemote });
  headers = await setUpInProcess();
  const entries = Array.from({ length: 250 }, (_, i) => entry(i));
  entries.splice(100, 0, auditEntry(100.5, "dyndns", "200"));
  entries.splice(200, 0, auditEntry(199.5, "disks", "409"));
  await writeJournal(directory, "system", entries);
  process.env.CARETAKER_LOGS_JOURNAL_DIRECTORY = directory;
});

async function get(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  const response = await logs.fetch(new Request(`http://x/api/logs${path}`, { ...init, headers: { ...headers, ...init.headers } }));
  return { status: response.status, body: response.headers.get("content-type")?.includes("json") ? await response.json() : response };
}

describe("GET /api/logs/journal", () => {
  it("pages the whole journal newest first, each entry once, by cursor", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const { status, body } = await get(`/journal?limit=100${after ? `&after=${encodeURIComponent(after)}` : ""}`);
      expect(status).toBe(200);
      expect(v.safeParse(JournalPageSchema, body).issues).toBeUndefined();
      seen.push(...body.entries.map((item: { message: string }) => item.message));
      after = body.next;
      pages++;
    } while (after && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(252);
    expect(seen[0]).toBe("entry 249 axb");
    expect(seen.at(-1)).toBe("entry 0 a.b");
    expect(new Set(seen).size).toBe(252);
  });

  it("filters by unit, priority (number or name), time range and literal text", async () => {
    const unit = (await get("/journal?unit=app1&limit=500")).body.entries;
    expect(unit).toHaveLength(83);
    expect(unit.every((item: { unit: string }) => item.unit === "app1.service")).toBe(true);
    const byName = (await get("/journal?priority=err&limit=500")).body.entries;
    expect((await get("/journal?priority=3&limit=500")).body.entries).toEqual(byName);
    expect(byName.every((item: { priority: number }) => item.priority <= 3)).toBe(true);
    expect(byName).toHaveLength(Array.from({ length: 250 }, (_, i) => i % 8).filter((level) => level <= 3).length);
    const range = (await get(`/journal?since=${new Date(start + 10_000).toISOString()}&until=${new Date(start + 19_000).toISOString()}`)).body.entries;
    expect(range.map((item: { message: string }) => item.message.split(" ")[1])).toEqual(["19", "18", "17", "16", "15", "14", "13", "12", "11", "10"]);
    // "a.b" is text, not a pattern: "axb" does not match; and any case
    const text = (await get("/journal?text=A.B")).body.entries;
    expect(text.map((item: { message: string }) => item.message)).toEqual(["entry 200 a.b", "entry 150 a.b", "entry 100 a.b", "entry 50 a.b", "entry 0 a.b"]);
    expect((await get("/journal?text=nothing%20like%20this")).body).toEqual({ entries: [], next: null });
  });

  it("refuses bad filters with a 422 that names the field", async () => {
    for (const [query, field] of [["priority=9", "query.priority"], ["unit=-all", "query.unit"], ["unit=a%20b", "query.unit"], [`text=${"x".repeat(201)}`, "query.text"], ["since=yesterday", "query.since"], ["limit=0", "query.limit"], ["after=s%3D1", "query.after"], ["lines=5", "query.lines"]]) {
      const { status, body } = await get(`/journal?${query}`);
      expect(status, query).toBe(422);
      expect(body.error.message, query).toContain(field);
    }
    const { status, body } = await get("/journal?since=2025-03-02T00:00:00Z&until=2025-03-01T00:00:00Z");
    expect([status, body.error.message]).toEqual([422, expect.stringContaining("since must not be later than until")]);
  });

  it("says the journal is not available rather than inventing entries when there is none", async () => {
    delete process.env.CARETAKER_LOGS_JOURNAL_DIRECTORY;
    try {
      const { status, body } = await get("/journal");
      expect(status).toBe(503);
      expect(body.error).toMatchObject({ code: "journal_unavailable", message: expect.stringContaining("not available") });
    } finally {
      process.env.CARETAKER_LOGS_JOURNAL_DIRECTORY = directory;
    }
  });
});

describe("GET /api/logs/audit", () => {
  it("shows only the audit trail, as who / function / action / result", async () => {
    const { status, body } = await get("/audit");
    expect(status).toBe(200);
    expect(v.safeParse(AuditPageSchema, body).issues).toBeUndefined();
    expect(body.entries.map((item: { function: string; result: number }) => [item.function, item.result])).toEqual([["disks", 409], ["dyndns", 200]]);
    expect(body.entries[1]).toMatchObject({ principal: "admin (session s1)", action: "POST /api/dyndns/x", source: "local", writer: null });
    expect((await get("/audit?function=dyndns")).body.entries).toHaveLength(1);
  });
});

/** Reads server-sent events until `count` entries came (or the stream ended). */
async function readEvents(response: Response, count: number, cancel = true) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const events: { id?: string; event?: string; data?: any }[] = [];
  while (events.filter((item) => item.event === "entry").length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf("\n\n")) !== -1) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const item: { id?: string; event?: string; data?: any } = {};
      for (const line of block.split("\n")) {
        const [key, ...rest] = line.split(": ");
        if (key === "id") item.id = rest.join(": ");
        if (key === "event") item.event = rest.join(": ");
        if (key === "data") item.data = JSON.parse(rest.join(": "));
      }
      events.push(item);
    }
  }
  if (cancel) await reader.cancel();
  else reader.releaseLock();
  return events;
}

/** journalctl processes reading this test's journal. */
function journalReaders() {
  return readdirSync("/proc").filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`--directory=${directory}`);
    } catch {
      return false;
    }
  });
}

describe("GET /api/logs/:view/follow", () => {
  it("streams the entries after the cursor, ids being cursors; no journalctl outlives the hang-up", async () => {
    const page = (await get("/journal?unit=app0.service&limit=14")).body.entries;
    const controller = new AbortController();
    const { status, body } = await get(`/journal/follow?unit=app0.service&cursor=${encodeURIComponent(page[13].cursor)}`, { signal: controller.signal });
    expect(status).toBe(200);
    expect((body as Response).headers.get("content-type")).toBe("text/event-stream");
    const entries = (await readEvents(body as Response, 13, false)).filter((item) => item.event === "entry");
    expect(entries.map((item) => item.data.message)).toEqual(page.slice(0, 13).reverse().map((item: { message: string }) => item.message));
    expect(entries.every((item) => item.id === item.data.cursor)).toBe(true);
    controller.abort();
    for (let tries = 0; tries < 50 && journalReaders().length > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(journalReaders()).toEqual([]);
  });

  it("resumes after the Last-Event-ID an EventSource sends, and follows the audit view", async () => {
    const [, older] = (await get("/audit")).body.entries;
    const controller = new AbortController();
    const { body } = await get("/audit/follow", { headers: { "last-event-id": older.cursor }, signal: controller.signal });
    const [first] = (await readEvents(body as Response, 1)).filter((item) => item.event === "entry");
    controller.abort();
    expect(first.data).toMatchObject({ function: "disks", result: 409, principal: "admin (session s1)" });
  });

  it("answers 404 for an unknown view and 422 for a bad Last-Event-ID", async () => {
    expect((await get("/everything/follow")).status).toBe(404);
    const { status, body } = await get("/journal/follow", { headers: { "last-event-id": "; rm -rf" } });
    expect([status, body.error.message]).toEqual([422, expect.stringContaining("Last-Event-ID")]);
  });
});
