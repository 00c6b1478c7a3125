// Test fixture: a process started by systemd-socket-activate per connection, serving a few probe routes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { HttpError } from "../../errors.ts";
import { serveConnection } from "../serve-connection.ts";

const markers = process.env.MARKER_DIR!;
writeFileSync(join(markers, `pid-${process.pid}`), "");

const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  switch (url.pathname) {
    case "/echo": {
      const body = new Uint8Array(await request.arrayBuffer());
      return new Response(body, { headers: { "x-method": request.method, "x-url": request.url } });
    }
    case "/stream":
      // Pieces with pauses between them, as server-sent events.
      return new Response(
        new ReadableStream<Uint8Array>({
          async start(controller) {
            for (let index = 1; index <= 3; index++) {
              controller.enqueue(encoder.encode(`data: piece ${index}\n\n`));
              await sleep(200);
            }
            controller.close();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    case "/forever":
      request.signal.addEventListener("abort", () => writeFileSync(join(markers, `aborted-${process.pid}`), ""));
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            await sleep(50);
            controller.enqueue(encoder.encode("tick\n"));
          },
        }),
        { headers: { "content-type": "text/plain" } },
      );
    case "/hello":
      return new Response("hello", { headers: { "content-type": "text/plain" } });
    case "/nothing":
      return new Response(null, { status: 204 });
    case "/broken":
      // A body that fails before its first byte: the client must still get a status.
      return new Response(new ReadableStream({ pull: () => Promise.reject(new HttpError(503, "disk went away")) }));
    case "/conflict":
      throw new HttpError(409, "repository is locked");
    case "/crash":
      throw new Error("secret internal detail");
    default:
      throw new HttpError(404, "no such route");
  }
}

await serveConnection(3, handle, {
  headerTimeoutMs: Number(process.env.HEADER_TIMEOUT_MS) || undefined,
  maxBodyBytes: Number(process.env.MAX_BODY_BYTES) || undefined,
});
writeFileSync(join(markers, `exited-${process.pid}`), "");
process.exit(0);
