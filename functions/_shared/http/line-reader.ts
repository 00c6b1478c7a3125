// Splits a byte stream into CRLF-terminated lines, rejecting bare LF and bare CR as soon as they arrive.
import type { HttpError } from "../errors.ts";
import { badRequest, CR, LF } from "./syntax.ts";

export interface LineStep {
  /** a complete line without its CRLF, or undefined when the input ran out first */
  line: Uint8Array | undefined;
  /** index in the input just after what was consumed */
  next: number;
}

export class LineReader {
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private used = 0;

  /** budget: how many bytes (CRLFs included) all lines read through this reader may take together */
  constructor(
    private budget: number,
    private overBudget: () => HttpError,
  ) {}

  /** Gives the reader a fresh budget, for lines whose limit does not add up with the previous ones. */
  restart(budget: number, overBudget = this.overBudget): void {
    this.budget = budget;
    this.overBudget = overBudget;
    this.used = 0;
  }

  read(input: Uint8Array, start: number): LineStep {
    const previousCr = this.pendingLength > 0 && this.lastPendingByte() === CR;
    for (let index = start; index < input.length; index++) {
      const byte = input[index]!;
      const afterCr = index > start ? input[index - 1] === CR : previousCr;
      if (afterCr && byte !== LF) throw badRequest("CR not followed by LF: lines must end in CRLF");
      if (byte === LF && !afterCr) throw badRequest("bare LF: lines must end in CRLF");
      if (byte === LF) {
        this.charge(index + 1 - start);
        const line = this.take(input.subarray(start, index + 1));
        return { line: line.subarray(0, line.length - 2), next: index + 1 };
      }
    }
    this.charge(input.length - start);
    if (start < input.length) {
      this.pending.push(input.slice(start));
      this.pendingLength += input.length - start;
    }
    return { line: undefined, next: input.length };
  }

  /** The bytes of the line read so far, without a trailing CR, so callers can reject a bad line before its end. */
  partial(): Uint8Array {
    const bytes = this.join();
    return bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, bytes.length - 1) : bytes;
  }

  /** True while a line has started but not ended. */
  get inLine(): boolean {
    return this.pendingLength > 0;
  }

  private charge(count: number): void {
    this.used += count;
    if (this.used > this.budget) throw this.overBudget();
  }

  private take(tail: Uint8Array): Uint8Array {
    if (this.pendingLength === 0) return tail;
    this.pending.push(tail);
    this.pendingLength += tail.length;
    const line = this.join();
    this.pending = [];
    this.pendingLength = 0;
    return line;
  }

  private join(): Uint8Array {
    if (this.pending.length === 1) return this.pending[0]!;
    const joined = new Uint8Array(this.pendingLength);
    let offset = 0;
    for (const part of this.pending) {
      joined.set(part, offset);
      offset += part.length;
    }
    this.pending = joined.length > 0 ? [joined] : [];
    return joined;
  }

  private lastPendingByte(): number | undefined {
    const last = this.pending[this.pending.length - 1];
    return last?.[last.length - 1];
  }
}
