// What a box name may be: an IP literal, a `.local` mDNS name, or a public DNS name (RFC 1123).
import { isIPv4, isIPv6 } from "node:net";

export type NameKind = "ip" | "mdns" | "public";

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** The kind of a valid name, or a sentence saying why it is not one (for a 422 naming the field). */
export function classifyName(name: string): { kind: NameKind } | { problem: string } {
  if (isIPv4(name) || isIPv6(name)) return { kind: "ip" };
  if (name.includes("*")) return { problem: "a wildcard cannot be the box's name; give one name" };
  if (name !== name.toLowerCase()) return { problem: "write the name in lower case" };
  if (name.length > 253) return { problem: "a DNS name is at most 253 characters" };
  const labels = name.split(".");
  if (labels.length < 2) return { problem: "give a full name such as box.local or box.example.org, or an IP address" };
  const bad = labels.find((part) => !label.test(part));
  if (bad !== undefined) return { problem: `"${bad}" is not a DNS label (letters, digits and inner hyphens, 1 to 63 characters)` };
  if (/^\d+$/.test(labels.at(-1)!)) return { problem: "the last label cannot be all digits (is it an IP address with a typo?)" };
  if (labels.at(-1) === "local") return { kind: "mdns" };
  return { kind: "public" };
}

export function nameKind(name: string): NameKind {
  const result = classifyName(name);
  if ("problem" in result) throw new Error(`not a box name: ${name}`);
  return result.kind;
}
