// setup-code.ts: the code's shape, and how typed codes are compared.
import { expect, test } from "vitest";
import { newSetupCode, normalizeSetupCode, setupCodeMatches } from "./setup-code.ts";

test("newSetupCode() is four groups of four unambiguous characters, different each time", () => {
  const codes = Array.from({ length: 50 }, newSetupCode);
  for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-TV-Z2-9]{4}(-[A-HJKMNP-TV-Z2-9]{4}){3}$/);
  expect(new Set(codes).size).toBe(50);
});

test("setupCodeMatches(typed, stored) forgives case, spaces and dashes, nothing else", () => {
  const stored = "ABCD-EFGH-JKMN-PQRS\n";
  expect(normalizeSetupCode(" abcd efgh-jkmn pqrs ")).toBe("ABCDEFGHJKMNPQRS");
  expect(setupCodeMatches("abcdefghjkmnpqrs", stored)).toBe(true);
  expect(setupCodeMatches("ABCD-EFGH-JKMN-PQRT", stored)).toBe(false);
  expect(setupCodeMatches("", stored)).toBe(false);
  expect(setupCodeMatches("", "")).toBe(false);
});
