// totp.ts against the test vectors of RFC 6238 (appendix B) and RFC 4226 (appendix D).
import { describe, expect, test } from "vitest";
import { fromBase32, toBase32 } from "./base64url.ts";
import { hotp, matchTotp, otpauthUri, totpAt } from "./totp.ts";

const ascii = (text: string) => new TextEncoder().encode(text);
const sha1Seed = ascii("12345678901234567890");
const sha256Seed = ascii("12345678901234567890123456789012");
const sha512Seed = ascii("1234567890123456789012345678901234567890123456789012345678901234");

describe("hotp(secret, counter) (RFC 4226 appendix D)", () => {
  test.each([
    [0, "755224"], [1, "287082"], [2, "359152"], [3, "969429"], [4, "338314"],
    [5, "254676"], [6, "287922"], [7, "162583"], [8, "399871"], [9, "520489"],
  ])("counter %i gives %s", async (counter, code) => {
    expect(await hotp(sha1Seed, counter)).toBe(code);
  });
});

describe("totpAt(secret, time, { digits: 8 }) (RFC 6238 appendix B)", () => {
  test.each([
    [59, "94287082", "46119246", "90693936"],
    [1111111109, "07081804", "68084774", "25091201"],
    [1111111111, "14050471", "67062674", "99943326"],
    [1234567890, "89005924", "91819424", "93441116"],
    [2000000000, "69279037", "90698825", "38618901"],
    [20000000000, "65353130", "77737706", "47863826"],
  ])("at %i: SHA-1 %s, SHA-256 %s, SHA-512 %s", async (time, sha1, sha256, sha512) => {
    expect(await totpAt(sha1Seed, time, { digits: 8 })).toBe(sha1);
    expect(await totpAt(sha256Seed, time, { digits: 8, hash: "SHA-256" })).toBe(sha256);
    expect(await totpAt(sha512Seed, time, { digits: 8, hash: "SHA-512" })).toBe(sha512);
  });
});

describe("matchTotp(secret, code, time)", () => {
  const secret = toBase32(sha1Seed);
  test("accepts the current step and one either side, and names the step", async () => {
    const time = 1111111109;
    const step = Math.floor(time / 30);
    expect(await matchTotp(secret, (await totpAt(sha1Seed, time)).toString(), time)).toBe(step);
    expect(await matchTotp(secret, await totpAt(sha1Seed, time - 30), time)).toBe(step - 1);
    expect(await matchTotp(secret, await totpAt(sha1Seed, time + 30), time)).toBe(step + 1);
  });
  test("refuses a code two steps away and anything that is not six digits", async () => {
    const time = 1234567890;
    expect(await matchTotp(secret, await totpAt(sha1Seed, time - 60), time)).toBeUndefined();
    expect(await matchTotp(secret, "12345", time)).toBeUndefined();
    expect(await matchTotp(secret, "abcdef", time)).toBeUndefined();
  });
});

test("base32 round-trips and matches RFC 4648's vector", () => {
  expect(toBase32(ascii("foobar"))).toBe("MZXW6YTBOI");
  expect(new TextDecoder().decode(fromBase32("mzxw6ytboi"))).toBe("foobar");
});

test("otpauthUri(secret, account) is what authenticator apps read", () => {
  expect(otpauthUri("JBSWY3DPEHPK3PXP", "admin@box.local")).toBe(
    "otpauth://totp/caretaker%3Aadmin%40box.local?secret=JBSWY3DPEHPK3PXP&issuer=caretaker&algorithm=SHA1&digits=6&period=30",
  );
});
