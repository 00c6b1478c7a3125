// Serves the one HTTP/1.1 request of a connection systemd accepted (Accept=yes) on fd: parse, call the handler, write, close.
import { errorResponse, HttpError } from "../errors.ts";
import { RequestParser, type ParseEvent, type RequestHead } from "./parser.ts";
import { requestBody } from "./request-body.ts";
import { requestUrl } from "./request-target.ts";
import { writeResponse } from "./response-writer.ts";
import { SocketInput, SocketOutput } from "./socket-io.ts";

export interface ServeOptions {
  /** time allowed for the whole request head to arrive (default 10 s, then 408) */
  headerTimeoutMs?: number;
  /** largest request body accepted (default 1 MiB, then 413) */
  maxBodyBytes?: number;
}

export type Handler = (request: Request) => Response | Promise<Response>;

export async function serveConnection(fd: number, handler: Handler, options: ServeOptions = {}): Promise<void> {
  const input = new SocketInput(fd);
  const output = new SocketOutput(fd);
  const hangUp = new AbortController();
  let complete = false;
  // Caddy closes as soon as it has the whole response: only a hang-up before that is an abort.
  const onHangUp = () => {
    if (!complete) hangUp.abort(new HttpError(499, "the client closed the connection", { code: "client_closed" }));
  };
  const onComplete = () => void (complete = true);
  let context = { method: "GET", http10: false, signal: hangUp.signal, onComplete };
  let response: Response;
  try {
    const parser = new RequestParser();
    const started = await readHead(input, parser, options.headerTimeoutMs ?? 10_000);
    if (!started) return; // the peer connected and left without a byte: nobody to answer
    const { head, pending } = started;
    context = { ...context, method: head.method, http10: head.version === "HTTP/1.0" };
    const request = toRequest(head, pending, { input, output, parser, signal: hangUp.signal, onHangUp }, options.maxBodyBytes ?? 1 << 20);
    response = await handler(request);
    if (!(response instanceof Response)) throw new Error(`the handler returned ${typeof response}, not a Response`);
  } catch (error) {
    response = errorResponse(error);
  }
  try {
    await writeResponse(output, response, context).catch(async (error: unknown) => {
      // The body failed: before the head went out there is still a status to tell; after it, only a cut stream.
      if (output.used) throw error;
      await writeResponse(output, errorResponse(error), context);
    });
    // A failed write is the other way to learn that the peer left; work the handler started should stop too.
    if (output.gone) onHangUp();
  } finally {
    input.close();
    await output.close();
  }
}

interface Connection {
  input: SocketInput;
  output: SocketOutput;
  parser: RequestParser;
  signal: AbortSignal;
  onHangUp(): void;
}

async function readHead(input: SocketInput, parser: RequestParser, timeoutMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  try {
    for (;;) {
      const bytes = await Promise.race([input.read(), timeout]);
      if (bytes === "timeout") throw new HttpError(408, `the request head did not arrive within ${timeoutMs} ms`);
      if (bytes === undefined) {
        parser.finish();
        return undefined;
      }
      const events = parser.push(bytes);
      const index = events.findIndex((event) => event.kind === "head");
      const head = events[index];
      if (head?.kind === "head") return { head: head.head, pending: events.slice(index + 1) };
    }
  } finally {
    clearTimeout(timer);
  }
}

function toRequest(head: RequestHead, pending: ParseEvent[], connection: Connection, maxBodyBytes: number): Request {
  const url = requestUrl(head);
  const { framing } = head;
  const hasBody = framing.kind === "chunked" || (framing.kind === "length" && framing.length > 0);
  if (hasBody && (head.method === "GET" || head.method === "HEAD")) {
    throw new HttpError(400, `a ${head.method} request may not have content`);
  }
  // Refuse an announced oversized body before the client sends it (and before any 100 Continue).
  if (framing.kind === "length" && framing.length > maxBodyBytes) {
    throw new HttpError(413, `request body is larger than ${maxBodyBytes} bytes`);
  }
  const watch = () => void connection.input.watchForHangUp(connection.onHangUp);
  const expect = head.headers.find(([name]) => name.toLowerCase() === "expect")?.[1].toLowerCase();
  const body = hasBody
    ? requestBody({
        ...connection,
        pending,
        // HTTP/1.0 clients do not know 100 Continue (RFC 9110, 10.1.1).
        expectContinue: expect === "100-continue" && head.version === "HTTP/1.1",
        maxBodyBytes,
        onFinished: (hungUp) => (hungUp ? connection.onHangUp() : watch()),
      })
    : null;
  // Without a body, the rest of the input can only be the peer hanging up (or pipelined data we ignore).
  if (!hasBody) watch();
  try {
    return new Request(url, { method: head.method, headers: head.headers, body, signal: connection.signal, duplex: "half" } as RequestInit);
  } catch {
    throw new HttpError(400, "the request cannot be represented as a web Request");
  }
}
