// Reads one page of the journal: never more than `limit` entries in memory, journalctl killed once it is full.
import { execLines as realExecLines, type ExecLines } from "../_shared/exec.ts";
import { parseLine } from "./entry.ts";
import { journalctl } from "./journalctl.ts";

export interface PageOptions {
  signal: AbortSignal;
  exec?: ExecLines;
}

/** A search over a big journal may scan it all; past this the request fails (504) rather than hold the process. */
const searchTimeoutMs = 20_000;
/** --output-fields and journalctl's 4096-byte cut (null) keep lines short; a longer one is not an entry we print */
const maxLineBytes = 256 * 1024;

export async function readPage<T extends { cursor: string }>(
  args: string[],
  limit: number,
  map: (raw: ReturnType<typeof parseLine>) => T,
  options: PageOptions,
): Promise<{ entries: T[]; next: string | null }> {
  const entries: T[] = [];
  // exit code 1 with nothing on stderr: --grep matched nothing
  const lines = (options.exec ?? realExecLines)(journalctl, args, { signal: options.signal, timeoutMs: searchTimeoutMs, maxLineBytes, okExitCodes: [1] });
  for await (const line of lines) {
    if (line === "") continue;
    entries.push(map(parseLine(line)));
    if (entries.length >= limit) break;
  }
  return { entries, next: entries.length === limit ? entries[entries.length - 1].cursor : null };
}
