// toEntry(raw) and toAuditRecord(raw) over `journalctl --output=json` captured from a real journal file.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as v from "valibot";
import { parseLine, toAuditRecord, toEntry } from "./entry.ts";
import { AuditRecordSchema, EntrySchema } from "./schema.ts";

// newest first, as `journalctl --reverse` printed it
const lines = readFileSync(new URL("./fixtures/journalctl-json.txt", import.meta.url), "utf8").trim().split("\n");
const [kernel, long, binary, audit, started] = lines.map((line) => toEntry(parseLine(line)));

describe("toEntry(raw)", () => {
  it("reads time, priority, unit, identifier and pid", () => {
    expect(started).toMatchObject({ time: "2025-03-01T12:00:00.123Z", priority: 6, identifier: "systemd", pid: 1, message: "Started caddy.service - Caddy.", messageOmitted: false });
    expect(started.cursor).toMatch(/^s=[0-9a-f]{32};i=1;/);
  });

  it("names the unit systemd's own message is about, but only for init.scope's", () => {
    expect(started.unit).toBe("caddy.service");
    const forged = toEntry(parseLine(JSON.stringify({ __CURSOR: "c", __REALTIME_TIMESTAMP: "0", _SYSTEMD_UNIT: "evil.service", UNIT: "caddy.service", MESSAGE: "hi" })));
    expect(forged.unit).toBe("evil.service");
  });

  it("decodes a binary message (a byte array in the JSON)", () => {
    expect(binary).toMatchObject({ message: "binär\u0001\nx", identifier: "app", priority: 3, unit: "app.service" });
  });

  it("says when journalctl left a message out for its size", () => {
    expect(long).toMatchObject({ message: "", messageOmitted: true, priority: 4 });
  });

  it("copes with an entry that has only a message", () => {
    expect(kernel).toMatchObject({ priority: null, unit: null, identifier: null, pid: null, message: "kernel says hi" });
  });

  it("joins a repeated field's values", () => {
    const entry = toEntry(parseLine(JSON.stringify({ __CURSOR: "c", __REALTIME_TIMESTAMP: "1000", MESSAGE: ["one", [116, 119, 111], null], PRIORITY: "9" })));
    expect(entry).toMatchObject({ message: "one\ntwo", priority: null, time: "1970-01-01T00:00:00.001Z" });
  });

  it("matches the documented response schema", () => {
    for (const line of lines) expect(v.safeParse(EntrySchema, toEntry(parseLine(line))).issues).toBeUndefined();
  });

  it("refuses a line that is not an entry", () => {
    expect(() => parseLine('{"MESSAGE":"no cursor"}')).toThrow(/not an entry/);
    expect(() => parseLine("Failed to")).toThrow();
  });
});

describe("toAuditRecord(raw)", () => {
  it("shows who, which function, what and the result", () => {
    const record = toAuditRecord(parseLine(lines[3]));
    expect(record).toMatchObject({ principal: "token ci (t1)", function: "dyndns", action: "POST /api/dyndns/run", result: 200, source: "192.0.2.4", writer: "caretaker-dyndns@3-1234-0.service" });
    expect(audit.identifier).toBe("caretaker-audit");
    expect(v.safeParse(AuditRecordSchema, record).issues).toBeUndefined();
  });
});
