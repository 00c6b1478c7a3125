// What the owner may call the box: an IP address or a .local name (Caddy's internal CA), or a public
// domain (Let's Encrypt, which needs a contact address). Decides the TLS mode from the name.
import { isIP } from "node:net";

export type NameKind = "ip" | "local" | "domain";

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function nameKind(name: string): NameKind | undefined {
  if (isIP(name)) return "ip";
  const lower = name.toLowerCase().replace(/\.$/, "");
  if (lower.length > 253) return undefined;
  const labels = lower.split(".");
  if (!labels.every((part) => label.test(part))) return undefined;
  if (labels.length >= 2 && labels.at(-1) === "local") return "local";
  // a public name has a top-level domain of letters: "box" alone or "10.0.0" are not domains
  if (labels.length >= 2 && /^[a-z]{2,63}$/.test(labels.at(-1)!)) return "domain";
  return undefined;
}

/** The TLS mode a name allows: only a public domain can get a certificate from Let's Encrypt. */
export function checkBox(box: { name: string; tls: "internal" | "acme"; email?: string }): string | undefined {
  const kind = nameKind(box.name);
  if (!kind) return `box.name: "${box.name}" is not an IP address, a .local name or a domain`;
  if (box.tls === "acme" && kind !== "domain") return `box.tls: Let's Encrypt certifies public domains only, not ${kind === "ip" ? "an IP address" : "a .local name"}`;
  if (box.tls === "acme" && !box.email) return "box.email: Let's Encrypt needs a contact address";
  if (box.tls === "internal" && box.email) return "box.email: only Let's Encrypt (tls: acme) uses a contact address";
  return undefined;
}
