// Streams a repository's running job and its progress as server-sent events, so the page's progress
// bar moves live and picks up again after a reload (EventSource reconnects on its own).
import type { RepositoryStatus } from "./schema.ts";

export interface StreamOptions {
  intervalMs?: number;
  /** under RuntimeMaxSec= of the unit; the page's EventSource reconnects after the stream ends */
  maxMs?: number;
}

export function statusEvents(read: () => Promise<RepositoryStatus>, signal: AbortSignal, options: StreamOptions = {}): Response {
  const { intervalMs = 500, maxMs = 25_000 } = options;
  const encoder = new TextEncoder();
  const deadline = Date.now() + maxMs;
  let last = "";
  let first = true;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!first) await new Promise((resolve) => setTimeout(resolve, intervalMs));
      if (signal.aborted) return controller.close();
      const status = await read();
      const text = JSON.stringify(status);
      controller.enqueue(encoder.encode(text !== last ? `${first ? "retry: 1000\n" : ""}event: status\ndata: ${text}\n\n` : ": waiting\n\n"));
      last = text;
      first = false;
      if (!status.running) {
        controller.enqueue(encoder.encode("event: end\ndata: {}\n\n"));
        return controller.close();
      }
      if (Date.now() > deadline) controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
}
