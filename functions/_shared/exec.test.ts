// execLines(file, args, { signal }): real tools, streamed line by line, killed when the caller stops.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { execLines } from "./exec.ts";

async function collect(lines: AsyncIterable<string>, take = Infinity) {
  const seen: string[] = [];
  for await (const line of lines) {
    seen.push(line);
    if (seen.length >= take) break;
  }
  return seen;
}

function alive(pid: number) {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].startsWith("Z");
  } catch {
    return false;
  }
}

describe("execLines(file, args, { signal })", () => {
  it("yields each line, the last one even without a newline", async () => {
    const lines = execLines("/usr/bin/printf", ["one\\ntwo\\n\\nthree"], { signal: new AbortController().signal });
    expect(await collect(lines)).toEqual(["one", "two", "", "three"]);
  });

  it("kills an endless tool when the loop stops early", async () => {
    const begun = Date.now();
    const lines = execLines("/usr/bin/yes", ["caretaker"], { signal: new AbortController().signal });
    expect(await collect(lines, 3)).toEqual(["caretaker", "caretaker", "caretaker"]);
    expect(Date.now() - begun).toBeLessThan(5000);
  });

  it("ends quietly, the tool killed, when the signal aborts (the client hung up)", async () => {
    const controller = new AbortController();
    const begun = Date.now();
    setTimeout(() => controller.abort(), 200);
    const lines = execLines("/usr/bin/tail", ["-f", "/dev/null"], { signal: controller.signal });
    expect(await collect(lines)).toEqual([]);
    expect(Date.now() - begun).toBeLessThan(3000);
  });

  it("leaves no process behind after an early stop", async () => {
    const controller = new AbortController();
    const lines = execLines("/usr/bin/sh", ["-c", "echo $$; exec sleep 30"], { signal: controller.signal });
    const [pid] = await collect(lines, 1);
    expect(alive(Number(pid))).toBe(false);
  });

  it("throws the tool's own words when it fails", async () => {
    const lines = execLines("/usr/bin/ls", ["/nonexistent-caretaker"], { signal: new AbortController().signal });
    await expect(collect(lines)).rejects.toMatchObject({ status: 502, code: "tool_failed", message: expect.stringContaining("No such file") });
  });

  it("takes an ok exit code as an answer only when the tool said nothing on stderr", async () => {
    const quiet = execLines("/usr/bin/grep", ["-q", "zzz", "/dev/null"], { signal: new AbortController().signal, okExitCodes: [1] });
    expect(await collect(quiet)).toEqual([]);
    const loud = execLines("/usr/bin/sh", ["-c", "echo broken >&2; exit 1"], { signal: new AbortController().signal, okExitCodes: [1] });
    await expect(collect(loud)).rejects.toMatchObject({ status: 502, message: expect.stringContaining("broken") });
  });

  it("stops a tool whose line outgrows the bound instead of holding it", async () => {
    const lines = execLines("/usr/bin/head", ["-c", "3000000", "/dev/zero"], { signal: new AbortController().signal, maxLineBytes: 1 << 20 });
    await expect(collect(lines)).rejects.toMatchObject({ status: 502, code: "tool_output_too_large" });
  });

  it("reports a timeout as 504", async () => {
    const lines = execLines("/usr/bin/sleep", ["5"], { signal: new AbortController().signal, timeoutMs: 200 });
    await expect(collect(lines)).rejects.toMatchObject({ status: 504, code: "tool_timeout" });
  });

  it("refuses a relative path", async () => {
    await expect(collect(execLines("yes", [], { signal: new AbortController().signal }))).rejects.toThrow(/absolute path/);
  });
});
