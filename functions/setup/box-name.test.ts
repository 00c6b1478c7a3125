// box-name.ts: which names the box may have, and which TLS mode each allows.
import { describe, expect, test } from "vitest";
import { checkBox, nameKind } from "./box-name.ts";

describe("nameKind(name)", () => {
  test.each([
    ["192.168.1.20", "ip"],
    ["fd00::1", "ip"],
    ["box.local", "local"],
    ["Caretaker-Box.local", "local"],
    ["cloud.example.org", "domain"],
    ["example.org.", "domain"],
  ])("%s is %s", (name, kind) => expect(nameKind(name)).toBe(kind));

  test.each(["box", "10.0.0", "-bad.example.org", "a..b.org", "exa mple.org", "x".repeat(64) + ".org", "300.1.1.1"])("%s is no name", (name) =>
    expect(nameKind(name)).toBeUndefined(),
  );
});

describe("checkBox(box)", () => {
  test("accepts an IP or .local with the internal CA, a domain with either", () => {
    expect(checkBox({ name: "192.168.1.20", tls: "internal" })).toBeUndefined();
    expect(checkBox({ name: "box.local", tls: "internal" })).toBeUndefined();
    expect(checkBox({ name: "cloud.example.org", tls: "acme", email: "owner@example.org" })).toBeUndefined();
    expect(checkBox({ name: "cloud.example.org", tls: "internal" })).toBeUndefined();
  });
  test("names the field that is wrong", () => {
    expect(checkBox({ name: "box.local", tls: "acme", email: "a@b.org" })).toMatch(/^box\.tls: .*\.local/);
    expect(checkBox({ name: "cloud.example.org", tls: "acme" })).toMatch(/^box\.email: /);
    expect(checkBox({ name: "box", tls: "internal" })).toMatch(/^box\.name: /);
    expect(checkBox({ name: "box.local", tls: "internal", email: "a@b.org" })).toMatch(/^box\.email: /);
  });
});
