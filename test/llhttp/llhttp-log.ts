// Turns an llhttp log (the expected callbacks of a fixture) into the requests it saw and how it stopped.
export interface SeenRequest {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  trailers: Array<[string, string]>;
  body: string;
  /** headers complete was reported */
  head: boolean;
  /** message complete was reported */
  complete: boolean;
}

export interface LlhttpOutcome {
  requests: SeenRequest[];
  /** an error other than a pause; code 5 ("data after Connection: close") is reported apart */
  error?: { code: number; reason: string };
  /** llhttp stopped reading HTTP here: an upgrade or CONNECT pause, or data after `Connection: close` */
  stopped: boolean;
  /** the result of llhttp_finish() for request-finish cases */
  finish?: number;
}

const spanLine = /^off=\d+ len=\d+ span\[(\w+)\]=(?:"(.*)"|(cr|lf))$/;
const pauses = new Set([5, 21, 22, 23]);

/** Span values are the raw bytes as UTF-8 text; keep them as one char per byte to compare with the parser. */
function bytesAsChars(text: string): string {
  return String.fromCharCode(...new TextEncoder().encode(text));
}

export function readLog(log: string[]): LlhttpOutcome {
  const outcome: LlhttpOutcome = { requests: [], stopped: false };
  let current: SeenRequest | undefined;
  let last = "";
  for (const line of log) {
    const span = spanLine.exec(line);
    if (line.endsWith(" message begin")) {
      current = { method: "", target: "", headers: [], trailers: [], body: "", head: false, complete: false };
      outcome.requests.push(current);
    } else if (span && current) {
      const value = span[3] === "cr" ? "\r" : span[3] === "lf" ? "\n" : bytesAsChars(span[2]!);
      const fields = current.head ? current.trailers : current.headers;
      if (span[1] === "method") current.method += value;
      if (span[1] === "url") current.target += value;
      if (span[1] === "body") current.body += value;
      if (span[1] === "header_field" && last === "header_field") fields[fields.length - 1]![0] += value;
      else if (span[1] === "header_field") fields.push([value, ""]);
      if (span[1] === "header_value") fields[fields.length - 1]![1] += value;
      last = span[1]!;
    } else if (/ headers complete /.test(line) && current) {
      current.head = true;
    } else if (line.endsWith(" message complete") && current) {
      current.complete = true;
    } else if (/ error code=/.test(line)) {
      const [, code, reason] = /error code=(\d+) reason="(.*)"/.exec(line)!;
      if (pauses.has(Number(code))) outcome.stopped = true;
      else outcome.error = { code: Number(code), reason: reason! };
    } else if (/ finish=/.test(line)) {
      outcome.finish = Number(/finish=(\d+)/.exec(line)![1]);
    }
  }
  return outcome;
}
