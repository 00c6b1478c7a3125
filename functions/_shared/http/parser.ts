// Incremental, strict HTTP/1.1 request parser over bytes: one request head, then its body, then any excess.
import { HttpError } from "../errors.ts";
import { ChunkedDecoder } from "./chunked-decoder.ts";
import { FramingHeaders, type BodyFraming } from "./framing.ts";
import { scanFieldLine, scanRequestLine, type HeaderList, type RequestLine } from "./head-syntax.ts";
import { LineReader } from "./line-reader.ts";
import { badRequest } from "./syntax.ts";
import { concat } from "./bytes.ts";

export type { BodyFraming } from "./framing.ts";
export type { HeaderList, RequestLine } from "./head-syntax.ts";

export interface RequestHead extends RequestLine {
  /** field lines in order, names as sent, values without surrounding whitespace, one char per byte */
  headers: HeaderList;
  framing: BodyFraming;
}

export type ParseEvent =
  | { kind: "head"; head: RequestHead }
  /** a view into the pushed input: copy it if the input buffer is reused */
  | { kind: "body"; bytes: Uint8Array }
  | { kind: "end"; trailers: HeaderList };

export interface ParserLimits {
  /** request line and header lines together, CRLFs included (431 beyond) */
  maxHeadBytes: number;
  maxHeaderCount: number;
  maxChunkLineBytes: number;
  maxTrailerBytes: number;
}

export const defaultParserLimits: ParserLimits = {
  maxHeadBytes: 16 * 1024,
  maxHeaderCount: 100,
  maxChunkLineBytes: 4 * 1024,
  maxTrailerBytes: 16 * 1024,
};

type State = "head" | "length" | "chunked" | "done";

/** Throws HttpError (400, 431, 501, 505) on the first byte that makes the request invalid. */
export class RequestParser {
  private state: State = "head";
  private readonly limits: ParserLimits;
  private readonly lines: LineReader;
  private requestLine: RequestLine | undefined;
  private readonly headers: HeaderList = [];
  private readonly framingHeaders = new FramingHeaders();
  private remaining = 0;
  private chunked: ChunkedDecoder | undefined;
  private excessParts: Uint8Array[] = [];

  constructor(limits: Partial<ParserLimits> = {}) {
    this.limits = { ...defaultParserLimits, ...limits };
    this.lines = new LineReader(this.limits.maxHeadBytes, () => new HttpError(431, "request head is too large"));
  }

  /** True once the whole request, body included, has been read. */
  get complete(): boolean {
    return this.state === "done";
  }

  /** Bytes received after the end of the request (a pipelined next request, which this server never reads). */
  get excess(): Uint8Array {
    return concat(this.excessParts);
  }

  push(input: Uint8Array): ParseEvent[] {
    const events: ParseEvent[] = [];
    let index = 0;
    while (index < input.length && this.state === "head") index = this.readHeadLine(input, index, events);
    if (this.state === "length" && index < input.length) {
      const end = Math.min(input.length, index + this.remaining);
      events.push({ kind: "body", bytes: input.subarray(index, end) });
      this.remaining -= end - index;
      index = end;
      if (this.remaining === 0) this.end(events, []);
    }
    if (this.state === "chunked" && index < input.length) {
      index = this.chunked!.push(input, index, (bytes) => events.push({ kind: "body", bytes }));
      if (this.chunked!.done) this.end(events, this.chunked!.trailers);
    }
    if (index < input.length) this.excessParts.push(input.subarray(index));
    return events;
  }

  /** Call at end of input: throws if a request had started but not finished (the peer hung up mid-request). */
  finish(): void {
    if (this.state === "done" || (this.state === "head" && !this.requestLine && !this.lines.inLine)) return;
    throw badRequest("the connection ended before the request was complete");
  }

  private readHeadLine(input: Uint8Array, start: number, events: ParseEvent[]): number {
    const { line, next } = this.lines.read(input, start);
    if (line === undefined) {
      const partial = this.lines.partial();
      if (!this.requestLine) scanRequestLine(partial, false);
      else if (partial.length > 0) scanFieldLine(partial, false);
    } else if (!this.requestLine) {
      // A server should ignore empty lines before the request line (RFC 9112, 2.2).
      if (line.length > 0) this.requestLine = scanRequestLine(line, true);
    } else if (line.length > 0) {
      if (this.headers.length >= this.limits.maxHeaderCount) throw new HttpError(431, "too many request headers");
      const [name, value] = scanFieldLine(line, true)!;
      this.framingHeaders.add(name, value);
      this.headers.push([name, value]);
    } else {
      this.startBody(events);
    }
    return next;
  }

  private startBody(events: ParseEvent[]): void {
    const line = this.requestLine!;
    let framing = this.framingHeaders.framing(line);
    // A CONNECT request has no content (RFC 9110, 9.3.6): what follows would be tunnel data.
    if (line.method === "CONNECT") framing = { kind: "none" };
    events.push({ kind: "head", head: { ...line, headers: this.headers, framing } });
    if (framing.kind === "chunked") {
      this.state = "chunked";
      this.chunked = new ChunkedDecoder(this.limits);
    } else if (framing.kind === "length" && framing.length > 0) {
      this.state = "length";
      this.remaining = framing.length;
    } else {
      this.end(events, []);
    }
  }

  private end(events: ParseEvent[], trailers: HeaderList): void {
    this.state = "done";
    events.push({ kind: "end", trailers });
  }
}
