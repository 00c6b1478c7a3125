// Writes a web Response as HTTP/1.1 with Connection: close: Content-Length when the body is already whole, else chunked.
import { concat, latin1Bytes } from "./bytes.ts";
import { statusText } from "./status-text.ts";
import type { SocketOutput } from "./socket-io.ts";

export interface ResponseContext {
  method: string;
  /** HTTP/1.0 clients cannot read chunked bodies: a streamed body then ends with the connection */
  http10: boolean;
  /** aborted when the peer hung up: stop producing and writing */
  signal: AbortSignal;
  /** called just before the last bytes go out: a hang-up after that is the normal end, not an abort */
  onComplete?: () => void;
}

type Reader = ReadableStreamDefaultReader<Uint8Array>;
interface BodyStart {
  chunks: Uint8Array[];
  done: boolean;
  /** a read still waiting for the stream, when done is false */
  pending?: ReturnType<Reader["read"]>;
}

// Hop-by-hop fields describe this connection, which this writer alone controls (RFC 9110, 7.6.1).
const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "content-length"]);
// Bodies up to this size that are already complete are sent with a Content-Length.
const maxBufferedBytes = 1 << 20;

export async function writeResponse(output: SocketOutput, response: Response, context: ResponseContext): Promise<void> {
  const noContent = response.status === 204 || response.status === 304;
  const bodyless = context.method === "HEAD" || noContent;
  const eventStream = response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
  const reader = response.body?.getReader();
  const stop = () => reader?.cancel().catch(() => {});
  context.signal.addEventListener("abort", stop, { once: true });
  if (context.signal.aborted) stop();
  try {
    // Server-sent events go out as they come; any other body gets a chance to be whole at once.
    const start: BodyStart = !reader ? { chunks: [], done: true } : eventStream || noContent ? { chunks: [], done: false } : await readAvailable(reader);
    const size = start.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const chunked = !start.done && !context.http10 && !bodyless;

    const lines = [`HTTP/1.1 ${response.status} ${response.statusText || statusText(response.status)}`];
    for (const [name, value] of response.headers) if (!hopByHop.has(name.toLowerCase())) lines.push(`${name}: ${value}`);
    // A HEAD answer without a body may still announce the length a GET would have (as define.ts does).
    const length = noContent ? null : reader ? (start.done ? String(size) : null) : context.method === "HEAD" ? response.headers.get("content-length") : "0";
    if (length !== null) lines.push(`content-length: ${length}`);
    if (chunked) lines.push("transfer-encoding: chunked");
    lines.push("connection: close", "", "");
    const head = latin1Bytes(lines.join("\r\n"));
    if (bodyless || start.done) {
      context.onComplete?.();
      return void (await output.write(concat([head, ...(bodyless ? [] : start.chunks)])));
    }

    const frame = (chunk: Uint8Array) => (chunked ? concat([latin1Bytes(`${chunk.length.toString(16)}\r\n`), chunk, latin1Bytes("\r\n")]) : chunk);
    if (!(await output.write(concat([head, ...start.chunks.map(frame)])))) return;
    let next = start.pending ?? reader!.read();
    for (;;) {
      const { done, value } = await next;
      if (done || context.signal.aborted) break;
      // An empty chunk would read as the end of a chunked body.
      if (value.length > 0 && !(await output.write(frame(value)))) return;
      next = reader!.read();
    }
    if (context.signal.aborted) return;
    context.onComplete?.();
    if (chunked) await output.write(latin1Bytes("0\r\n\r\n"));
  } finally {
    context.signal.removeEventListener("abort", stop);
    if (output.gone || context.signal.aborted || bodyless) await stop();
  }
}

/** Reads what the body has ready without waiting: a body that ends before the next macrotask is whole. */
async function readAvailable(reader: Reader): Promise<BodyStart> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size <= maxBufferedBytes) {
    const pending = reader.read();
    const tick = new Promise<"later">((resolve) => setImmediate(() => resolve("later")));
    const result = await Promise.race([pending, tick]);
    if (result === "later") return { chunks, done: false, pending };
    if (result.done) return { chunks, done: true };
    chunks.push(result.value);
    size += result.value.length;
  }
  return { chunks, done: false };
}
