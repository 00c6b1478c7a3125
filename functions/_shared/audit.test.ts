// audit(record): the journal fields it hands to `logger --journald`, and stderr in dev mode.
import { expect, test, vi } from "vitest";
import { audit, journalFields } from "./audit.ts";
import type { Exec } from "./exec.ts";

const record = { function: "backups", principal: "token nightly (abc)", action: "POST /api/backups/runs", result: 202, source: "192.0.2.7" };

test("journalFields(record) is journald's export format, one field a line, no line breaks inside", () => {
  expect(journalFields({ ...record, principal: "evil\nCARETAKER_RESULT=200" })).toBe(
    [
      "MESSAGE=caretaker audit: evil CARETAKER_RESULT=200 POST /api/backups/runs on backups from 192.0.2.7 -> 202",
      "PRIORITY=5",
      "SYSLOG_IDENTIFIER=caretaker-audit",
      "CARETAKER_AUDIT=1",
      "CARETAKER_FUNCTION=backups",
      "CARETAKER_PRINCIPAL=evil CARETAKER_RESULT=200",
      "CARETAKER_ACTION=POST /api/backups/runs",
      "CARETAKER_RESULT=202",
      "CARETAKER_SOURCE=192.0.2.7",
      "",
    ].join("\n"),
  );
});

test("under systemd it runs /usr/bin/logger --journald with the fields on stdin", async () => {
  const calls: Parameters<Exec>[] = [];
  const exec: Exec = async (...args) => (calls.push(args), { stdout: "", stderr: "", exitCode: 0 });
  await audit(record, { exec, booted: true });
  expect(calls).toEqual([["/usr/bin/logger", ["--journald"], { input: journalFields(record), timeoutMs: 5000 }]]);
});

test("in dev mode it writes the record to stderr; a failing logger never throws", async () => {
  const stderr = vi.spyOn(console, "error").mockImplementation(() => {});
  await audit(record, { booted: false });
  expect(stderr).toHaveBeenCalledWith(JSON.stringify({ audit: record }));
  await audit(record, { booted: true, exec: async () => Promise.reject(new Error("no journal")) });
  expect(stderr.mock.calls.at(-1)?.[0]).toMatch(/could not write .* no journal/);
  stderr.mockRestore();
});
