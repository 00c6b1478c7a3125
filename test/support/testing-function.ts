// A function compiled only into test builds: routes that exercise the runtime end to end
// (streaming, hang-ups, concurrency, bodies) through the same run() and socket adapter as real ones.
import * as v from "valibot";
import { appendFileSync } from "node:fs";
import { defineFunction, route } from "../../functions/_shared/define.ts";

const marks = process.env.CARETAKER_TEST_MARKS ?? "/dev/null";

export default defineFunction({
  name: "testing",
  summary: "test-only routes",
  routes: [
    route({
      method: "GET",
      path: "/stream",
      summary: "five server-sent events, 150 ms apart",
      response: { stream: "text/event-stream" },
      handle: () => {
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (sent === 5) return controller.close();
            if (sent > 0) await Bun.sleep(150);
            controller.enqueue(new TextEncoder().encode(`data: {"n":${sent}}\n\n`));
            sent += 1;
          },
        });
        return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
      },
    }),
    route({
      method: "GET",
      path: "/hold",
      summary: "answers after ms milliseconds, or notes that the caller hung up",
      query: v.object({ ms: v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(0), v.maxValue(60_000)) }),
      response: v.object({ pid: v.number() }),
      handle: ({ query, signal }) =>
        new Promise((resolve) => {
          const started = performance.timeOrigin + performance.now();
          appendFileSync(marks, `holding ${process.pid}\n`);
          const timer = setTimeout(() => {
            appendFileSync(marks, `held ${process.pid} ${started} ${performance.timeOrigin + performance.now()}\n`);
            resolve({ pid: process.pid });
          }, query.ms);
          const abort = () => {
            clearTimeout(timer);
            appendFileSync(marks, `aborted ${process.pid}\n`);
            resolve({ pid: process.pid });
          };
          // the client may have left before this listener was there
          if (signal.aborted) abort();
          else signal.addEventListener("abort", abort, { once: true });
        }),
    }),
    route({
      method: "POST",
      path: "/echo",
      summary: "returns the validated body",
      body: v.object({ name: v.pipe(v.string(), v.minLength(1), v.maxLength(64)), size: v.optional(v.number()) }),
      response: v.object({ name: v.string(), size: v.optional(v.number()) }),
      handle: ({ body }) => body,
    }),
  ],
});
