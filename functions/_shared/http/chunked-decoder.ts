// Incremental decoder of a chunked request body (RFC 9112, 7.1): chunk sizes, data, strict CRLFs, trailers.
import { HttpError } from "../errors.ts";
import { scanChunkSizeLine } from "./chunk-size-line.ts";
import { scanFieldLine, type HeaderList } from "./head-syntax.ts";
import { LineReader } from "./line-reader.ts";
import { badRequest, CR, LF } from "./syntax.ts";

export interface ChunkedLimits {
  /** longest chunk-size line, extensions included */
  maxChunkLineBytes: number;
  /** all trailer lines together */
  maxTrailerBytes: number;
}

type State = "size" | "data" | "data-cr" | "data-lf" | "trailers" | "done";

export class ChunkedDecoder {
  readonly trailers: HeaderList = [];
  private state: State = "size";
  private remaining = 0;
  private readonly lines: LineReader;

  constructor(private readonly limits: ChunkedLimits) {
    this.lines = new LineReader(limits.maxChunkLineBytes, chunkLineTooLong);
  }

  get done(): boolean {
    return this.state === "done";
  }

  /** Decodes from input[start]; data goes to onData as views into input. Returns where it stopped (the end, or the end of the body). */
  push(input: Uint8Array, start: number, onData: (bytes: Uint8Array) => void): number {
    let index = start;
    while (index < input.length && this.state !== "done") {
      switch (this.state) {
        case "size":
        case "trailers":
          index = this.readLine(input, index);
          break;
        case "data": {
          const end = Math.min(input.length, index + this.remaining);
          onData(input.subarray(index, end));
          this.remaining -= end - index;
          index = end;
          if (this.remaining === 0) this.state = "data-cr";
          break;
        }
        case "data-cr":
        case "data-lf": {
          const expected = this.state === "data-cr" ? CR : LF;
          if (input[index] !== expected) throw badRequest("chunk data must be followed by CRLF");
          this.state = this.state === "data-cr" ? "data-lf" : "size";
          index++;
          break;
        }
      }
    }
    return index;
  }

  private readLine(input: Uint8Array, start: number): number {
    const { line, next } = this.lines.read(input, start);
    if (line === undefined) {
      const partial = this.lines.partial();
      if (this.state === "size") scanChunkSizeLine(partial, false);
      else if (partial.length > 0) scanFieldLine(partial, false);
      return next;
    }
    if (this.state === "size") {
      const size = scanChunkSizeLine(line, true)!;
      if (size === 0) {
        this.state = "trailers";
        this.lines.restart(this.limits.maxTrailerBytes, () => new HttpError(431, "request trailers are too large"));
      } else {
        this.state = "data";
        this.remaining = size;
        this.lines.restart(this.limits.maxChunkLineBytes, chunkLineTooLong);
      }
    } else if (line.length === 0) {
      this.state = "done";
    } else {
      this.trailers.push(scanFieldLine(line, true)!);
    }
    return next;
  }
}

function chunkLineTooLong(): HttpError {
  return badRequest("chunk-size line is too long");
}
