// RequestParser.push(bytes) / finish(): the limits and rules llhttp's fixtures do not exercise.
import { describe, expect, it } from "vitest";
import { HttpError } from "../errors.ts";
import { RequestParser, type ParseEvent } from "./parser.ts";

const bytes = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

function parse(text: string, parser = new RequestParser()): ParseEvent[] {
  return parser.push(bytes(text));
}

function statusOf(text: string): number | undefined {
  try {
    parse(text);
    return undefined;
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
}

const bodyOf = (events: ParseEvent[]) =>
  events.flatMap((event) => (event.kind === "body" ? [String.fromCharCode(...event.bytes)] : [])).join("");

describe("RequestParser", () => {
  it("parses a head, strips whitespace around values and keeps bytes 0x80-0xFF as single chars", () => {
    const [head] = parse("POST /a?b HTTP/1.1\r\nHost: x\r\nX-Name: \t caf\xe9 \t\r\nContent-Length: 2\r\n\r\n");
    expect(head).toEqual({
      kind: "head",
      head: {
        method: "POST",
        target: "/a?b",
        version: "HTTP/1.1",
        headers: [["Host", "x"], ["X-Name", "caf\xe9"], ["Content-Length", "2"]],
        framing: { kind: "length", length: 2 },
      },
    });
  });

  it("limits the head to 16 KiB and 100 headers (431)", () => {
    expect(statusOf(`GET / HTTP/1.1\r\nX: ${"a".repeat(16 * 1024)}\r\n\r\n`)).toBe(431);
    expect(statusOf(`GET / HTTP/1.1\r\n${"X: 1\r\n".repeat(101)}\r\n`)).toBe(431);
    expect(statusOf(`GET / HTTP/1.1\r\n${"X: 1\r\n".repeat(100)}\r\n`)).toBeUndefined();
  });

  it("rejects unknown methods (501) and versions other than 1.0 and 1.1 (505)", () => {
    expect(statusOf("BREW / HTTP/1.1\r\n\r\n")).toBe(501);
    expect(statusOf("PRI * HTTP/2.0\r\n\r\n")).toBe(501);
    expect(statusOf("GET / HTTP/2.0\r\n\r\n")).toBe(505);
    expect(statusOf("GET / HTTP/1.1 \r\n\r\n")).toBe(400);
  });

  it("rejects bare LF, obs-fold, whitespace before the colon and control characters in values", () => {
    expect(statusOf("GET / HTTP/1.1\nHost: a\r\n\r\n")).toBe(400);
    expect(statusOf("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n")).toBe(400);
    expect(statusOf("GET / HTTP/1.1\r\nA : b\r\n\r\n")).toBe(400);
    expect(statusOf("GET / HTTP/1.1\r\nA: b\x00c\r\n\r\n")).toBe(400);
    expect(statusOf("GET / HTTP/1.1\r\nA: b\x7fc\r\n\r\n")).toBe(400);
    expect(statusOf("GET relative HTTP/1.1\r\n\r\n")).toBe(400);
  });

  it("accepts a repeated identical Content-Length and rejects disagreeing, signed or oversized ones", () => {
    const events = parse("PUT / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 003\r\n\r\nabc");
    expect(bodyOf(events)).toBe("abc");
    expect(statusOf("PUT / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n")).toBe(400);
    expect(statusOf("PUT / HTTP/1.1\r\nContent-Length: +3\r\n\r\n")).toBe(400);
    expect(statusOf("PUT / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\n")).toBe(400);
    expect(statusOf("PUT / HTTP/1.1\r\nContent-Length: 9007199254740992\r\n\r\n")).toBe(400);
  });

  it("accepts chunked only as the last coding, alone, in HTTP/1.1, without Content-Length", () => {
    expect(statusOf("PUT / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")).toBe(501);
    expect(statusOf("PUT / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")).toBe(400);
    expect(statusOf("PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")).toBe(400);
    expect(statusOf("PUT / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n")).toBe(400);
    expect(statusOf("PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n")).toBe(400);
  });

  it("decodes chunks with extensions and trailers, and bounds chunk sizes and trailers", () => {
    const events = parse('PUT / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n3;a=1;b="x\\"y"\r\nabc\r\n0\r\nT: v\r\n\r\n');
    expect(bodyOf(events)).toBe("abc");
    expect(events.at(-1)).toEqual({ kind: "end", trailers: [["T", "v"]] });
    const chunked = "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    expect(statusOf(`${chunked}${"f".repeat(14)}\r\n`)).toBe(400);
    expect(statusOf(`${chunked}3;a=\r\n`)).toBe(400);
    expect(statusOf(`${chunked}3;a="x\r\n`)).toBe(400);
    expect(statusOf(`${chunked}3\r\nabcX`)).toBe(400);
    expect(statusOf(`${chunked}0\r\nT: ${"v".repeat(16 * 1024)}\r\n\r\n`)).toBe(431);
  });

  it("keeps what follows the request as excess and tells a clean end from a cut one", () => {
    const parser = new RequestParser();
    parse("GET / HTTP/1.1\r\n\r\nGET /next", parser);
    expect(parser.complete).toBe(true);
    expect(String.fromCharCode(...parser.excess)).toBe("GET /next");
    expect(() => parser.finish()).not.toThrow();

    const cut = new RequestParser();
    parse("PUT / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", cut);
    expect(() => cut.finish()).toThrow(HttpError);
    expect(() => new RequestParser().finish()).not.toThrow();
  });
});
