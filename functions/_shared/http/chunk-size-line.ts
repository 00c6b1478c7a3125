// Strict syntax of a chunk-size line: hex size, then optional `;name[=token|"quoted"]` extensions, no whitespace.
import { badRequest, hexValue, QUOTED_TEXT, TOKEN } from "./syntax.ts";

const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
// 13 hex digits stay below 2^53, so the size is exact in a JavaScript number.
const maxSizeDigits = 13;

/** Returns the chunk size of a complete line; for a prefix (complete=false), undefined or a throw like the head scanners. */
export function scanChunkSizeLine(line: Uint8Array, complete: boolean): number | undefined {
  let index = 0;
  let size = 0;
  let significant = 0;
  for (; index < line.length && hexValue(line[index]!) >= 0; index++) {
    size = size * 16 + hexValue(line[index]!);
    if (size > 0 && ++significant > maxSizeDigits) throw badRequest("chunk size is too large");
  }
  if (index === 0) {
    if (line.length === 0 && !complete) return undefined;
    throw badRequest("a chunk must start with its size in hex digits");
  }
  while (index < line.length) {
    if (line[index] !== SEMICOLON) throw badRequest("invalid character after the chunk size");
    index = scanExtension(line, index + 1, complete);
  }
  return complete ? size : undefined;
}

/**
 * Scans one extension after its `;`; returns the index of the next `;` or the end of the line. On a
 * complete line an extension that stops half-way (empty name or value, open quote) is an error.
 */
function scanExtension(line: Uint8Array, start: number, complete: boolean): number {
  let index = skipToken(line, start);
  if (index === start && (index < line.length || complete)) throw badRequest("empty or invalid chunk extension name");
  if (index === line.length || line[index] === SEMICOLON) return index;
  if (line[index] !== EQUALS) throw badRequest("invalid character in a chunk extension");
  index++;
  if (line[index] !== QUOTE) {
    const end = skipToken(line, index);
    if (end === index && (end < line.length || complete)) throw badRequest("empty or invalid chunk extension value");
    return end;
  }
  for (index++; index < line.length; index++) {
    const byte = line[index]!;
    if (byte === QUOTE) return index + 1;
    if (byte === BACKSLASH) {
      index++;
      if (index < line.length && !QUOTED_TEXT[line[index]!] && line[index] !== QUOTE && line[index] !== BACKSLASH) {
        throw badRequest("invalid escaped character in a quoted chunk extension value");
      }
    } else if (!QUOTED_TEXT[byte]) {
      throw badRequest("invalid character in a quoted chunk extension value");
    }
  }
  if (complete) throw badRequest("unterminated quoted chunk extension value");
  return line.length;
}

function skipToken(line: Uint8Array, start: number): number {
  let index = start;
  while (index < line.length && TOKEN[line[index]!]) index++;
  return index;
}
