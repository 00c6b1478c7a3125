// Follows the journal as server-sent events: one `entry` event per entry, its cursor as the event id.
import { HttpError } from "../_shared/errors.ts";
import { execLines as realExecLines, type ExecLines } from "../_shared/exec.ts";
import { parseLine, type Raw } from "./entry.ts";
import { followArgs, journalctl, tailArgs, type Filters } from "./journalctl.ts";

export interface FollowOptions {
  /** the request's: a hang-up kills journalctl */
  signal: AbortSignal;
  /** under the unit's RuntimeMaxSec=30; EventSource reconnects with Last-Event-ID and nothing is lost */
  maxMs?: number;
  /** how long to wait before reading again when the last read found nothing new */
  idleMs?: number;
  exec?: ExecLines;
}

export interface FollowedJournal {
  source: string[];
  filters: Filters;
  /** resume after this entry; without one, only what is written from now on */
  cursor?: string;
}

const encoder = new TextEncoder();
const event = (text: string) => encoder.encode(text);
const maxLineBytes = 256 * 1024;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * Every entry after the cursor, read again whenever the last read is used up: one short journalctl
 * at a time, none while idle. journalctl's --grep exits 1 when nothing new matches.
 */
async function* entriesAfter(journal: FollowedJournal, exec: ExecLines, signal: AbortSignal, idleMs: number): AsyncGenerator<Raw> {
  let cursor = journal.cursor;
  if (cursor === undefined) {
    for await (const line of exec(journalctl, tailArgs(journal.source, journal.filters), { signal, maxLineBytes, okExitCodes: [1] })) if (line) cursor = parseLine(line).__CURSOR as string;
  }
  while (!signal.aborted) {
    let read = 0;
    for await (const line of exec(journalctl, followArgs(journal.source, journal.filters, cursor), { signal, maxLineBytes, okExitCodes: [1] })) {
      if (line === "") continue;
      const raw = parseLine(line);
      cursor = raw.__CURSOR as string;
      read++;
      yield raw;
    }
    if (read === 0) await sleep(idleMs, signal);
  }
}

/** Backpressure all the way: a slow reader stops pulling, so journalctl blocks on its pipe; nothing piles up here. */
export function followEvents<T extends { cursor: string }>(journal: FollowedJournal, map: (raw: Raw) => T, options: FollowOptions): Response {
  // one signal for hang-up, deadline and cancel, wired by hand: Node 20's AbortSignal.any drops a timeout's abort
  const stop = new AbortController();
  const end = () => stop.abort();
  const deadline = setTimeout(end, options.maxMs ?? 25_000);
  if (options.signal.aborted) end();
  options.signal.addEventListener("abort", end, { once: true });
  stop.signal.addEventListener("abort", () => {
    clearTimeout(deadline);
    options.signal.removeEventListener("abort", end);
  }, { once: true });
  const entries = entriesAfter(journal, options.exec ?? realExecLines, stop.signal, options.idleMs ?? 1000);
  // started now, not at the first pull: "from now on" means from the request
  let first: Promise<IteratorResult<Raw>> | undefined = entries.next();
  // its failure is reported by the pull that awaits it, which may come later than the failure
  first.catch(() => {});
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(event("retry: 1000\n: following the journal\n\n"));
    },
    async pull(controller) {
      try {
        // a pull that enqueues nothing would never be called again: wait for an entry or the end
        const { done, value } = await (first ?? entries.next());
        first = undefined;
        if (done) {
          end();
          return controller.close();
        }
        const item = map(value);
        controller.enqueue(event(`id: ${item.cursor}\nevent: entry\ndata: ${JSON.stringify(item)}\n\n`));
      } catch (error) {
        if (!(error instanceof HttpError)) console.error(error);
        const problem = error instanceof HttpError ? { code: error.code, message: error.message } : { code: "internal", message: "internal error: see the journal of this function" };
        controller.enqueue(event(`event: failure\ndata: ${JSON.stringify({ error: problem })}\n\n`));
        end();
        controller.close();
      }
    },
    cancel: end,
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
}
