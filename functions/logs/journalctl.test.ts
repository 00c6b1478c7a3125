// pageArgs(source, filters, page), followArgs(...) and tailArgs(...): every user value one argv item, matches after "--".
import { describe, expect, it } from "vitest";
import { epochArgument, followArgs, journalSource, literalPattern, pageArgs, tailArgs } from "./journalctl.ts";

describe("journalSource(env, booted)", () => {
  it("reads a directory when one is named, the system journal under systemd, and nothing otherwise", () => {
    expect(journalSource({ CARETAKER_LOGS_JOURNAL_DIRECTORY: "/tmp/j" }, false)).toEqual(["--directory=/tmp/j"]);
    expect(journalSource({}, true)).toEqual([]);
    expect(() => journalSource({}, false)).toThrow(expect.objectContaining({ status: 503, code: "journal_unavailable" }));
  });
});

describe("literalPattern(text)", () => {
  it("escapes every PCRE2 metacharacter", () => {
    expect(literalPattern("a.b*(c)[d]{1}|^$?+\\")).toBe("a\\.b\\*\\(c\\)\\[d\\]\\{1\\}\\|\\^\\$\\?\\+\\\\");
  });
});

describe("epochArgument(iso)", () => {
  it("gives seconds since the epoch, which journalctl 252 and 257 both take", () => {
    expect(epochArgument("2025-03-01T12:00:00.5Z")).toBe("@1740830400.500");
    expect(epochArgument("2025-03-01T13:00:00+01:00")).toBe("@1740830400.000");
  });
});

describe("pageArgs(source, filters, page)", () => {
  it("pages newest first with the filters as single items", () => {
    const args = pageArgs([], { unit: "caddy.service", priority: 3, since: "2025-03-01T00:00:00Z", text: "--all" }, { limit: 50, after: "s=1" });
    expect(args).toEqual([
      "--no-pager", "--quiet", "--output=json", expect.stringMatching(/^--output-fields=MESSAGE,/), "--reverse", "--lines=50", "--after-cursor=s=1",
      "--unit=caddy.service", "--priority=3", "--since=@1740787200.000", "--grep=--all", "--case-sensitive=false", "--",
    ]);
  });

  it("matches the audit trail after the end of the options", () => {
    const args = pageArgs(["--directory=/j"], { audit: true, function: "dyndns" }, { limit: 10 });
    expect(args[0]).toBe("--directory=/j");
    expect(args.slice(args.indexOf("--"))).toEqual(["--", "CARETAKER_AUDIT=1", "CARETAKER_FUNCTION=dyndns"]);
  });
});

describe("followArgs(source, filters, cursor) and tailArgs(source)", () => {
  it("reads every entry after a cursor, oldest first, without --follow", () => {
    const args = followArgs(["--directory=/j"], { unit: "a.service" }, "s=2");
    expect(args).toEqual(expect.arrayContaining(["--directory=/j", "--after-cursor=s=2", "--unit=a.service", "--output=json"]));
    expect(args.filter((arg) => /^--(follow|lines|reverse)/.test(arg))).toEqual([]);
    expect(followArgs([], {}).filter((arg) => arg.startsWith("--after-cursor"))).toEqual([]);
  });

  it("asks for the newest entry that matches the filters", () => {
    expect(tailArgs(["--directory=/j"], { unit: "a.service", audit: true })).toEqual(expect.arrayContaining(["--directory=/j", "--lines=1", "--output=json", "--unit=a.service", "CARETAKER_AUDIT=1"]));
  });
});
