import { describe, expect, it } from "vitest";
import { classifyName } from "./name.ts";

describe("classifyName(name): kind or problem", () => {
  it.each([
    ["192.168.1.20", "ip"],
    ["fd00::1", "ip"],
    ["box.local", "mdns"],
    ["nextcloud-box.local", "mdns"],
    ["cloud.example.org", "public"],
    ["xn--bcher-kva.example", "public"],
  ])("%s is %s", (name, kind) => {
    expect(classifyName(name)).toEqual({ kind });
  });
  it.each([
    ["*.example.org", /wildcard/],
    ["Box.Local", /lower case/],
    ["box", /full name/],
    ["-box.local", /not a DNS label/],
    ["box..local", /not a DNS label/],
    ["a_b.example.org", /not a DNS label/],
    [`${"a".repeat(64)}.org`, /not a DNS label/],
    ["192.168.1.300", /all digits/],
    ["box.local ", /not a DNS label/],
    ["https://box.local", /not a DNS label/],
  ])("%s is refused", (name, problem) => {
    const result = classifyName(name);
    expect("problem" in result && result.problem).toMatch(problem);
  });
});
