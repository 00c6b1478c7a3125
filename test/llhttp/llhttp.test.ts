// Checks the request parser against every strict-mode request case of llhttp, Node.js's HTTP parser.
//
// How cases are compared:
// - Only strict cases run: types "request" and "request-finish". Lenient types (request-lenient-*)
//   test what only llhttp's lenient flags accept, and there is no response/ folder to read.
// - Verdict: llhttp rejects when its log has an error (other than a pause), or when finish() reports
//   an unsafe end (request-finish cases); we reject when the parser throws an HttpError, or when
//   finish() throws at the end of the input (request-finish cases only).
// - Several requests in one block (keep-alive, pipelining): our server reads one request per
//   connection and closes, but the parser must still find where a request ends. So the harness parses
//   requests one after another, each with a fresh parser fed the excess of the previous one, as a
//   keep-alive server would. It stops where llhttp stops reading HTTP: at an upgrade or CONNECT pause
//   (codes 22, 23) and at "data after Connection: close" (code 5), which is a rule about reusing the
//   connection, not about the request's syntax: our adapter closes after the first request anyway.
// - On accept, every request llhttp reported must match: method, target, header names and values,
//   body bytes, trailers, and whether it completed. llhttp's header value spans keep trailing
//   whitespace; field values exclude it (RFC 9110, 5.5), so it is trimmed before comparing.
// - Every case also runs fed one byte at a time, and must give the same result (llhttp's "scan").
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { HttpError } from "../../functions/_shared/errors.ts";
import { RequestParser, type HeaderList } from "../../functions/_shared/http/parser.ts";
import { readFixtures, type FixtureCase } from "./fixtures.ts";
import { readLog, type SeenRequest } from "./llhttp-log.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixtureDirectory = path.resolve(repoRoot, "../shared/fixtures/llhttp/request");

/** Where we deliberately disagree with llhttp's strict mode, and why. The test fails if this list goes stale. */
const deliberateDifferences: Record<string, string> = {
  "sample.md › No HTTP version": "HTTP/0.9 (a request line without a version) is not HTTP/1.x: 400",
  "method.md › SOURCE request with ICE": "ICE/1.0 (Icecast) is not HTTP: 400",
  "method.md › OPTIONS request with RTSP": "RTSP/1.0 is not HTTP: 400",
  "method.md › ANNOUNCE request with RTSP": "RTSP/1.0 is not HTTP: 400",
  "method.md › PRI request HTTP2":
    "PRI * HTTP/2.0 opens an HTTP/2 connection (llhttp pauses to hand it over); we speak HTTP/1.1 only: 501",
  "transfer-encoding.md › POST with `chunked` as last transfer-encoding":
    "a transfer coding we cannot decode (deflate) gets 501 (RFC 9112, 6.1) instead of compressed bytes for the handler",
  "transfer-encoding.md › POST with `chunked` as last transfer-encoding (multiple headers)":
    "a transfer coding we cannot decode (deflate) gets 501 (RFC 9112, 6.1) instead of compressed bytes for the handler",
  "content-length.md › Content-Length reset when no body is received":
    "skipBody: the harness tells llhttp to skip the body (a client reading a HEAD response); a server always reads a request's body",
};

interface OurOutcome {
  requests: SeenRequest[];
  error?: HttpError;
}

function asPairs(list: HeaderList): Array<[string, string]> {
  return list.map(([name, value]) => [name, value]);
}

/** Parses requests one after another like a keep-alive server, stopping after `limit` complete requests. */
function parseAll(input: Uint8Array, limit: number, finish: boolean, byteByByte: boolean): OurOutcome {
  const outcome: OurOutcome = { requests: [] };
  let rest = input;
  try {
    while (outcome.requests.filter((request) => request.complete).length < limit) {
      const parser = new RequestParser();
      const feeds = byteByByte ? Array.from(rest, (_, index) => rest.subarray(index, index + 1)) : [rest];
      let request: SeenRequest | undefined;
      let fed = 0;
      for (const feed of feeds) {
        fed += feed.length;
        for (const event of parser.push(feed)) {
          if (event.kind === "head") {
            const { method, target, headers } = event.head;
            request = { method, target, headers: asPairs(headers), trailers: [], body: "", head: true, complete: false };
            outcome.requests.push(request);
          } else if (event.kind === "body") {
            request!.body += String.fromCharCode(...event.bytes);
          } else {
            request!.complete = true;
            request!.trailers = asPairs(event.trailers);
          }
        }
        if (parser.complete) break;
      }
      if (!parser.complete) {
        if (finish) parser.finish();
        break;
      }
      rest = concat(parser.excess, rest.subarray(fed));
      if (rest.length === 0) break;
    }
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    outcome.error = error;
  }
  return outcome;
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

const trimEnd = (value: string) => value.replace(/[ \t]+$/, "");

/** What we must agree on: only requests whose head llhttp completed, values without trailing whitespace. */
function comparable(requests: SeenRequest[], fromLlhttp: boolean) {
  return requests
    .filter((request) => request.head)
    .map((request) => ({
      ...request,
      headers: fromLlhttp ? request.headers.map(([name, value]) => [name, trimEnd(value)]) : request.headers,
      trailers: fromLlhttp ? request.trailers.map(([name, value]) => [name, trimEnd(value)]) : request.trailers,
    }));
}

interface Verdict {
  agrees: boolean;
  /** what both parsers reported; for rejections only the fact, since the first bad byte may differ when fed in pieces */
  result: string;
  detail: string;
}

function compare(fixture: FixtureCase, byteByByte: boolean): Verdict {
  const expected = readLog(fixture.log);
  const finishCase = fixture.meta.type === "request-finish";
  const limit = expected.stopped ? expected.requests.length : Infinity;
  const ours = parseAll(fixture.input, limit, finishCase, byteByByte);
  const llhttpRejects = expected.error !== undefined || (expected.finish ?? 0) === 2;
  if (llhttpRejects || ours.error) {
    const agrees = llhttpRejects === (ours.error !== undefined);
    const detail = `llhttp: ${expected.error?.reason ?? `finish=${expected.finish}`}; ours: ${ours.error?.message}`;
    return { agrees, result: ours.error ? "rejected" : "accepted", detail };
  }
  const theirs = JSON.stringify(comparable(expected.requests, true));
  const mine = JSON.stringify(comparable(ours.requests, false));
  return { agrees: theirs === mine, result: mine, detail: `llhttp: ${theirs}\nours:   ${mine}` };
}

const cases = readFixtures(fixtureDirectory);
const strict = cases.filter((fixture) => ["request", "request-finish"].includes(fixture.meta.type ?? "") && !fixture.meta.mode);

describe("RequestParser against llhttp's strict request fixtures", () => {
  it("reads the fixtures and checks most of them", () => {
    expect(cases.length).toBeGreaterThan(130);
    expect(strict.length).toBeGreaterThanOrEqual(110);
  });

  const disagreeing: string[] = [];
  for (const fixture of strict) {
    it(fixture.name, () => {
      const whole = compare(fixture, false);
      const scanned = compare(fixture, true);
      expect({ ...scanned, detail: "" }, "fed byte by byte, the parser must reach the same result").toEqual({ ...whole, detail: "" });
      if (!whole.agrees) disagreeing.push(fixture.name);
      if (fixture.name in deliberateDifferences) expect(whole.agrees, "listed as a deliberate difference").toBe(false);
      else expect(whole.agrees, whole.detail).toBe(true);
    });
  }

  it("lists exactly the cases that disagree on purpose", () => {
    expect(disagreeing.sort()).toEqual(Object.keys(deliberateDifferences).sort());
  });
});
