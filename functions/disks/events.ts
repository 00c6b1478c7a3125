// Streams a job's status as server-sent events while it runs, so the page shows progress live.
import type { JobName, JobStatus } from "./schema-health.ts";
import { readJobStatus } from "./reports.ts";

export interface StreamOptions {
  intervalMs?: number;
  /** under RuntimeMaxSec=30 of the unit; EventSource reconnects on its own after the stream ends */
  maxMs?: number;
  read?: (job: JobName) => Promise<JobStatus>;
}

/** One `data:` event whenever the status changes; the stream ends once the job is no longer running. */
export function jobEvents(job: JobName, signal: AbortSignal, options: StreamOptions = {}): Response {
  const { intervalMs = 500, maxMs = 25_000, read = readJobStatus } = options;
  const encoder = new TextEncoder();
  const deadline = Date.now() + maxMs;
  let last = "";
  let first = true;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!first) await new Promise((resolve) => setTimeout(resolve, intervalMs));
      if (signal.aborted) return controller.close();
      const status = await read(job);
      const text = JSON.stringify(status);
      if (text !== last) {
        controller.enqueue(encoder.encode(`${first ? "retry: 1000\n" : ""}event: status\ndata: ${text}\n\n`));
        last = text;
      } else {
        controller.enqueue(encoder.encode(": waiting\n\n"));
      }
      first = false;
      if (status.state !== "running") {
        controller.enqueue(encoder.encode("event: end\ndata: {}\n\n"));
        return controller.close();
      }
      if (Date.now() > deadline) controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
}
