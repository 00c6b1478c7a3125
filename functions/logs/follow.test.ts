// followEvents(args, map, { signal, maxMs }): the real journalctl --follow, ended by its deadline.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { writeJournal } from "../../test/logs/journal-remote.ts";
import { toEntry } from "./entry.ts";
import { followEvents } from "./follow.ts";
import { followArgs } from "./journalctl.ts";

it("ends the stream at its deadline (under RuntimeMaxSec), so the client reconnects with Last-Event-ID", async () => {
  const directory = mkdtempSync(join(tmpdir(), "caretaker-logs-follow-"));
  await writeJournal(directory, "one", [{ __REALTIME_TIMESTAMP: "1740830400000000", MESSAGE: "only one" }]);
  const begun = Date.now();
  const response = followEvents(followArgs([`--directory=${directory}`], {}), toEntry, { signal: new AbortController().signal, maxMs: 800 });
  const text = await response.text();
  expect(Date.now() - begun).toBeGreaterThanOrEqual(700);
  expect(Date.now() - begun).toBeLessThan(5000);
  // --lines=0: only what is written from now on, and nothing was
  expect(text).toBe("retry: 1000\n: following the journal\n\n");
});

it("reports a journalctl failure as a failure event, not a broken stream", async () => {
  const response = followEvents(["--directory=/nonexistent-caretaker", "--no-such-option"], toEntry, { signal: new AbortController().signal, maxMs: 5000 });
  const text = await response.text();
  expect(text).toMatch(/event: failure\ndata: \{"error":\{"code":"tool_failed","message":"journalctl failed with exit code 1: .*\}\}\n\n$/);
});
