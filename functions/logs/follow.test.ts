// followEvents(journal, map, options): the real journalctl read again after the last cursor, ended by its deadline.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { execLines, type ExecLines } from "../_shared/exec.ts";
import { writeJournal } from "../../test/logs/journal-remote.ts";
import { toEntry } from "./entry.ts";
import { followEvents } from "./follow.ts";

const second = 1_740_830_400_000_000;

it("ends the stream at its deadline (under RuntimeMaxSec), so the client reconnects with Last-Event-ID", async () => {
  const directory = mkdtempSync(join(tmpdir(), "caretaker-logs-follow-"));
  await writeJournal(directory, "one", [{ __REALTIME_TIMESTAMP: String(second), MESSAGE: "only one" }]);
  const begun = Date.now();
  const response = followEvents({ source: [`--directory=${directory}`], filters: {} }, toEntry, { signal: new AbortController().signal, maxMs: 800 });
  const text = await response.text();
  expect(Date.now() - begun).toBeGreaterThanOrEqual(700);
  expect(Date.now() - begun).toBeLessThan(5000);
  // without a cursor: only what is written from now on, and nothing was
  expect(text).toBe("retry: 1000\n: following the journal\n\n");
});

it("delivers every entry written while it follows, in order, also from a journal file that appears later", async () => {
  const directory = mkdtempSync(join(tmpdir(), "caretaker-logs-follow-"));
  await writeJournal(directory, "before", [{ __REALTIME_TIMESTAMP: String(second), MESSAGE: "before the follow" }]);
  // after this entry's cursor, as a reconnecting EventSource asks: no race with the first read
  const cursor = JSON.parse(execFileSync("/usr/bin/journalctl", [`--directory=${directory}`, "--output=json", "--lines=1"], { encoding: "utf8" })).__CURSOR;
  const stop = new AbortController();
  const response = followEvents({ source: [`--directory=${directory}`], filters: {}, cursor }, toEntry, { signal: stop.signal, maxMs: 60_000, idleMs: 100 });
  const reader = response.body!.getReader();
  await reader.read();
  const count = 3000;
  // a later monotonic clock on the same boot: these come after the first file's entry
  const later = Array.from({ length: count }, (_, i) => ({ __REALTIME_TIMESTAMP: String(second + (i + 1) * 1000), __MONOTONIC_TIMESTAMP: String(1000 + i), MESSAGE: `later ${i}` }));
  await writeJournal(directory, "during", later);
  const messages: string[] = [];
  let text = "";
  const decoder = new TextDecoder();
  while (messages.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const blocks = text.split("\n\n");
    text = blocks.pop()!;
    for (const block of blocks) if (block.includes("event: entry")) messages.push(JSON.parse(block.slice(block.indexOf("data: ") + 6)).message);
  }
  stop.abort();
  await reader.cancel();
  expect(messages).toEqual(later.map((entry) => entry.MESSAGE));
});

it("without a cursor starts after the newest matching entry, so a filter costs no new entry", async () => {
  const directory = mkdtempSync(join(tmpdir(), "caretaker-logs-follow-"));
  await writeJournal(directory, "before", [
    { __REALTIME_TIMESTAMP: String(second), MESSAGE: "an old match", _SYSTEMD_UNIT: "app.service" },
    { __REALTIME_TIMESTAMP: String(second + 1000), MESSAGE: "the newest entry, of another unit", _SYSTEMD_UNIT: "other.service" },
  ]);
  // the first journalctl is the read of where to start: the new entries are written once it is done
  let reads = 0;
  let startFound!: () => void;
  const started = new Promise<void>((resolve) => (startFound = resolve));
  const exec: ExecLines = async function* (file, args, options) {
    const first = reads++ === 0;
    yield* execLines(file, args, options);
    if (first) startFound();
  };
  const stop = new AbortController();
  const response = followEvents({ source: [`--directory=${directory}`], filters: { unit: "app.service" } }, toEntry, { signal: stop.signal, maxMs: 10_000, idleMs: 100, exec });
  const reader = response.body!.getReader();
  await reader.read();
  await started;
  const later = Array.from({ length: 5 }, (_, i) => ({ __REALTIME_TIMESTAMP: String(second + (i + 2) * 1000), __MONOTONIC_TIMESTAMP: String(1000 + i), MESSAGE: `new ${i}`, _SYSTEMD_UNIT: "app.service" }));
  await writeJournal(directory, "during", later);
  const messages: string[] = [];
  const decoder = new TextDecoder();
  while (messages.length < later.length) {
    const { done, value } = await reader.read();
    if (done) break;
    const text = decoder.decode(value);
    if (text.includes("event: entry")) messages.push(JSON.parse(text.slice(text.indexOf("data: ") + 6)).message);
  }
  stop.abort();
  await reader.cancel();
  expect(messages).toEqual(later.map((entry) => entry.MESSAGE));
});

it("reads again only while the client is there: no journalctl is started after a hang-up", async () => {
  const directory = mkdtempSync(join(tmpdir(), "caretaker-logs-follow-"));
  await writeJournal(directory, "one", [{ __REALTIME_TIMESTAMP: String(second), MESSAGE: "only one" }]);
  let started = 0;
  const counting: ExecLines = (file, args, options) => {
    started++;
    return execLines(file, args, options);
  };
  const hangUp = new AbortController();
  const response = followEvents({ source: [`--directory=${directory}`], filters: {} }, toEntry, { signal: hangUp.signal, maxMs: 60_000, idleMs: 50, exec: counting });
  const reader = response.body!.getReader();
  await reader.read();
  const pending = reader.read();
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(started, "it kept reading while the client was there").toBeGreaterThanOrEqual(3);
  hangUp.abort();
  await expect(pending).resolves.toMatchObject({ done: true });
  const atHangUp = started;
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(started).toBe(atHangUp);
});

it("reports a journalctl failure as a failure event, not a broken stream", async () => {
  const response = followEvents({ source: ["--directory=/nonexistent-caretaker", "--no-such-option"], filters: {} }, toEntry, { signal: new AbortController().signal, maxMs: 5000 });
  const text = await response.text();
  expect(text).toMatch(/event: failure\ndata: \{"error":\{"code":"tool_failed","message":"journalctl failed with exit code 1: .*\}\}\n\n$/);
});
