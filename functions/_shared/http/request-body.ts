// The request body as a web stream, pulled from the socket only when the handler reads (which is when 100 Continue goes out).
import { HttpError } from "../errors.ts";
import type { ParseEvent, RequestParser } from "./parser.ts";
import type { SocketInput, SocketOutput } from "./socket-io.ts";

export interface RequestBodyOptions {
  input: SocketInput;
  output: SocketOutput;
  parser: RequestParser;
  /** events the parser produced after the head, from the same read */
  pending: ParseEvent[];
  /** send `100 Continue` before the first read, since the client waits for it (RFC 9110, 10.1.1) */
  expectContinue: boolean;
  maxBodyBytes: number;
  /** called once: the body was read to its end or failed (hungUp false), or the peer hung up first (true) */
  onFinished(hungUp: boolean): void;
}

const continueLine = new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n");

export function requestBody(options: RequestBodyOptions): ReadableStream<Uint8Array> {
  const queue = [...options.pending];
  let continueSent = !options.expectContinue;
  let received = 0;
  let finished = false;

  const finish = (hungUp: boolean) => {
    if (finished) return;
    finished = true;
    options.onFinished(hungUp);
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!continueSent) {
        continueSent = true;
        await options.output.write(continueLine);
      }
      try {
        for (;;) {
          const event = queue.shift();
          if (event?.kind === "body") {
            received += event.bytes.length;
            if (received > options.maxBodyBytes) {
              throw new HttpError(413, `request body is larger than ${options.maxBodyBytes} bytes`);
            }
            if (event.bytes.length > 0) return controller.enqueue(event.bytes);
          } else if (event?.kind === "end") {
            controller.close();
            return finish(false);
          } else {
            const bytes = await options.input.read();
            if (bytes === undefined) {
              controller.error(new HttpError(400, "the connection ended before the request body was complete"));
              return finish(true);
            }
            queue.push(...options.parser.push(bytes));
          }
        }
      } catch (error) {
        // A malformed or oversized body: the handler sees the HttpError; the peer is still there.
        controller.error(error);
        finish(false);
      }
    },
    // No read-ahead: pull (and so 100 Continue) must wait for the handler's first read.
  }, { highWaterMark: 0 });
}
