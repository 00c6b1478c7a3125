// Follows the journal as server-sent events: one `entry` event per entry, its cursor as the event id.
import { HttpError } from "../_shared/errors.ts";
import { execLines as realExecLines, type ExecLines } from "../_shared/exec.ts";
import { parseLine } from "./entry.ts";
import { journalctl } from "./journalctl.ts";

export interface FollowOptions {
  /** the request's: a hang-up kills journalctl */
  signal: AbortSignal;
  /** under the unit's RuntimeMaxSec=30; EventSource reconnects with Last-Event-ID and nothing is lost */
  maxMs?: number;
  exec?: ExecLines;
}

const encoder = new TextEncoder();
const event = (text: string) => encoder.encode(text);

/** Backpressure all the way: a slow reader stops pulling, so journalctl blocks on its pipe; nothing piles up here. */
export function followEvents<T extends { cursor: string }>(args: string[], map: (raw: ReturnType<typeof parseLine>) => T, options: FollowOptions): Response {
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
  const lines = (options.exec ?? realExecLines)(journalctl, args, { signal: stop.signal, maxLineBytes: 256 * 1024 });
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(event("retry: 1000\n: following the journal\n\n"));
    },
    async pull(controller) {
      try {
        // a pull that enqueues nothing would never be called again: read until there is an entry or the end
        for (;;) {
          const { done, value } = await lines.next();
          if (done) {
            end();
            return controller.close();
          }
          if (value === "") continue;
          const item = map(parseLine(value));
          return controller.enqueue(event(`id: ${item.cursor}\nevent: entry\ndata: ${JSON.stringify(item)}\n\n`));
        }
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
