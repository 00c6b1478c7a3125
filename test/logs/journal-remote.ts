// Writes real journal files for tests: journald's export format piped into systemd-journal-remote,
// so dev mode and the parsers' tests read what journalctl reads on a box (the host runs no journald).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const journalRemote = "/usr/lib/systemd/systemd-journal-remote";

export type ExportEntry = Record<string, string | Uint8Array>;

/** One entry in the export format; a value with a newline (or bytes) uses the binary form. */
export function exportEntry(fields: ExportEntry): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const bytes = typeof value === "string" ? Buffer.from(value) : Buffer.from(value);
    if (typeof value === "string" && !value.includes("\n")) parts.push(Buffer.from(`${name}=${value}\n`));
    else {
      const size = Buffer.alloc(8);
      size.writeBigUInt64LE(BigInt(bytes.length));
      parts.push(Buffer.from(`${name}\n`), size, bytes, Buffer.from("\n"));
    }
  }
  parts.push(Buffer.from("\n"));
  return Buffer.concat(parts);
}

export const testBootId = "6b1c2f0e9a7d4c3b8e5f1a2b3c4d5e6f";

/** Adds a journal file `<name>.journal` to `directory` with these entries (each needs __REALTIME_TIMESTAMP in µs). */
export async function writeJournal(directory: string, name: string, entries: Iterable<ExportEntry>): Promise<void> {
  mkdirSync(directory, { recursive: true });
  const child = spawn(journalRemote, [`--output=${join(directory, `${name}.journal`)}`, "-"], { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<number | null>((resolve) => child.on("close", resolve));
  let monotonic = 1;
  for (const entry of entries) {
    const chunk = exportEntry({ __MONOTONIC_TIMESTAMP: String(monotonic++), _BOOT_ID: testBootId, ...entry });
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once("drain", resolve));
  }
  child.stdin.end();
  const code = await done;
  if (code !== 0) throw new Error(`systemd-journal-remote failed (${code}): ${stderr}`);
}
