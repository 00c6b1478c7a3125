// login-limiter.ts: how long a try must wait, judged on the shared log of tries.
import { describe, expect, test } from "vitest";
import { type Attempt, delaySeconds, policy, waitFor } from "./login-limiter.ts";

let next = 0;
const tryAt = (t: number, src = "192.0.2.1"): Attempt => ({ id: `a${next++}`, t, src, r: "try" });

describe("delaySeconds(n, free)", () => {
  test("free tries wait nothing, then each waits twice as long, up to 15 minutes", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => delaySeconds(n, 3))).toEqual([0, 0, 0, 1, 2, 4, 8]);
    expect(delaySeconds(40, 3)).toBe(policy.maxDelaySeconds);
  });
});

describe("waitFor(log, mine)", () => {
  test("the fourth quick try from one source waits; another source does not", () => {
    const log = [tryAt(0), tryAt(100), tryAt(200)];
    const fourth = tryAt(300);
    expect(waitFor([...log, fourth], fourth)).toBe(1);
    const elsewhere = tryAt(300, "198.51.100.7");
    expect(waitFor([...log, elsewhere], elsewhere)).toBe(0);
  });

  test("a try that waited long enough passes; refused tries do not count", () => {
    const log = [tryAt(0), tryAt(100), tryAt(200)];
    const late = tryAt(1300);
    expect(waitFor([...log, late], late)).toBe(0);
    const refused = tryAt(250);
    const after = tryAt(1300);
    expect(waitFor([...log, refused, { ...refused, r: "x" }, after], after)).toBe(0);
  });

  test("a success resets the count of its source", () => {
    const log = [tryAt(0), tryAt(100), tryAt(200)];
    const ok: Attempt = { ...log[2], r: "ok" };
    const again = tryAt(300);
    expect(waitFor([...log, ok, again], again)).toBe(0);
  });

  test("parallel tries see each other: only the ones logged before mine count", () => {
    const log = [tryAt(0), tryAt(0), tryAt(0), tryAt(0), tryAt(0)];
    expect(log.map((entry) => waitFor(log, entry))).toEqual([0, 0, 0, 1, 2]);
  });

  test("many sources together hit the overall limit", () => {
    const log = Array.from({ length: policy.overall.free }, (_, index) => tryAt(index, `10.0.0.${index}`));
    const mine = tryAt(50, "10.0.1.1");
    expect(waitFor([...log, mine], mine)).toBe(1);
  });
});
