// Decides how a request's body is delimited (RFC 9112, 6.3), refusing every ambiguous combination as soon as it is seen.
import { HttpError } from "../errors.ts";
import { badRequest } from "./syntax.ts";
import type { RequestLine } from "./head-syntax.ts";

export type BodyFraming = { kind: "none" } | { kind: "length"; length: number } | { kind: "chunked" };

/** Fed each header field as it is parsed, so a bad Content-Length fails before the head is complete. */
export class FramingHeaders {
  private length: number | undefined;
  private codings: string[] | undefined;

  add(name: string, value: string): void {
    const lower = name.toLowerCase();
    if (lower === "content-length") this.addLength(value);
    else if (lower === "transfer-encoding") this.addCodings(value);
    // Both headers together are the classic request smuggling vector: refuse rather than pick one.
    if (this.length !== undefined && this.codings !== undefined) {
      throw badRequest("Transfer-Encoding and Content-Length together are not allowed");
    }
  }

  framing(line: RequestLine): BodyFraming {
    if (this.codings !== undefined) {
      if (line.version === "HTTP/1.0") throw badRequest("Transfer-Encoding is not allowed in an HTTP/1.0 request");
      const last = this.codings[this.codings.length - 1];
      if (last !== "chunked") throw badRequest("Transfer-Encoding must end with chunked");
      const unknown = this.codings.find((coding) => coding !== "chunked");
      if (unknown) throw new HttpError(501, `transfer coding ${unknown.slice(0, 40)} is not supported`);
      return { kind: "chunked" };
    }
    if (this.length !== undefined) return { kind: "length", length: this.length };
    return { kind: "none" };
  }

  private addLength(value: string): void {
    if (value === "") throw badRequest("empty Content-Length");
    if (!/^[0-9]+$/.test(value)) throw badRequest("Content-Length must be digits only");
    const digits = value.replace(/^0+(?=.)/, "");
    const length = Number(digits);
    if (digits.length > 15 || !Number.isSafeInteger(length)) throw badRequest("Content-Length is too large");
    // Repeating the same length is harmless (RFC 9110, 8.6); two different ones leave the body ambiguous.
    if (this.length !== undefined && this.length !== length) throw badRequest("several Content-Length values that disagree");
    this.length = length;
  }

  private addCodings(value: string): void {
    this.codings ??= [];
    for (const coding of value.split(",").map((item) => item.trim().toLowerCase())) {
      if (coding === "") continue;
      if (this.codings.includes("chunked")) throw badRequest("chunked must be the last transfer coding, applied once");
      this.codings.push(coding);
    }
  }
}
