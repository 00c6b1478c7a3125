// Server-sent events that follow a job by polling its status: an event whenever the status changes,
// a comment line to keep the connection alive otherwise, `end` once the job no longer runs.

export interface PollOptions {
  /** how often to read the status (ms) */
  intervalMs?: number;
  /** kept under the unit's RuntimeMaxSec=; EventSource reconnects on its own after the stream ends */
  maxMs?: number;
}

export function pollEvents<Status>(read: () => Promise<Status>, running: (status: Status) => boolean, signal: AbortSignal, options: PollOptions = {}): Response {
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
      if (!running(status)) {
        controller.enqueue(encoder.encode("event: end\ndata: {}\n\n"));
        return controller.close();
      }
      if (Date.now() > deadline) controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
}
