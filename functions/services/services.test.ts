// The services function's pure parts: unit names and the protected set, systemctl's answers, the
// run-now policy, and the generated polkit rule evaluated as polkitd would (a function per rule).
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import * as v from "valibot";
import { parseInstance } from "./jobs/unitfile.ts";
import { polkitRule } from "./polkit-rule.ts";
import { counter, parseListTimers, parseShow, unixTime } from "./systemctl.ts";
import { runNowPolicy } from "./timers.ts";
import { AllowListSchema, protectedReason } from "./unit-name.ts";
import { actionsFor } from "./units.ts";

describe("AllowListSchema", () => {
  it("takes services, sockets, timers and instances", () => {
    expect(v.parse(AllowListSchema, ["nginx.service", "postgresql@17-main.service", "backup.timer"])).toHaveLength(3);
  });
  it.each([["caretaker-system.socket"], ["caddy.service"], ["systemd-journald.service"], ["dbus.service"], ["-x.service"], ["a b.service"], ["x.mount"], ["x@.service"]])("refuses %s", (unit) => {
    expect(v.safeParse(AllowListSchema, [unit]).success).toBe(false);
  });
  it("refuses a unit twice", () => expect(v.safeParse(AllowListSchema, ["a.service", "a.service"]).success).toBe(false));
});

describe("systemctl", () => {
  it("parseShow(stdout) splits blocks and keeps empty values", () => {
    const [first, second] = parseShow("Id=a.service\nMemoryCurrent=[not set]\nActiveEnterTimestamp=@1796013525\n\nId=b.socket\nJob=\n");
    expect(first).toEqual({ Id: "a.service", MemoryCurrent: "[not set]", ActiveEnterTimestamp: "@1796013525" });
    expect(second).toEqual({ Id: "b.socket", Job: "" });
    expect(unixTime(first.ActiveEnterTimestamp)).toBe("2026-11-30T04:38:45.000Z");
    expect([counter("[not set]"), counter("18446744073709551615"), counter("55802000")]).toEqual([null, null, 55802000]);
  });
  it("parseListTimers(stdout) reads systemctl list-timers --output=json (captured in the trixie guest)", () => {
    const timers = parseListTimers('[{"next":1796013613390417,"left":1796013613390417,"last":0,"passed":0,"unit":"caretaker-dyndns-update.timer","activates":"caretaker-dyndns-update.service"},{"next":null,"left":null,"last":0,"passed":0,"unit":"fstrim.timer","activates":"fstrim.service"}]');
    expect(timers).toEqual([
      { name: "caretaker-dyndns-update.timer", unit: "caretaker-dyndns-update.service", next: "2026-11-30T04:40:13.390Z", last: null },
      { name: "fstrim.timer", unit: "fstrim.service", next: null, last: null },
    ]);
  });
});

describe("what may be done", () => {
  const allowed = new Set(["nginx.service"]);
  it("actionsFor(name, allowed): all five on the list, none off it or for caretaker", () => {
    expect(actionsFor("nginx.service", allowed)).toEqual(["start", "stop", "restart", "enable", "disable"]);
    expect(actionsFor("apache2.service", allowed)).toEqual([]);
    expect(actionsFor("caretaker-system.socket", new Set(["caretaker-system.socket"]))).toEqual([]);
    expect(protectedReason("caretaker-services.socket")).toMatch(/caretaker's own/);
  });
  it("runNowPolicy(timer, allowed): the allow-list or a caretaker timer's job", () => {
    expect(runNowPolicy({ name: "web.timer", unit: "nginx.service" }, allowed).runNow).toBe(true);
    expect(runNowPolicy({ name: "caretaker-dyndns-update.timer", unit: "caretaker-dyndns-update.service" }, allowed).runNow).toBe(true);
    expect(runNowPolicy({ name: "caretaker-backups-create@a.timer", unit: "caretaker-backups-create@a.service" }, allowed).runNow).toBe(true);
    expect(runNowPolicy({ name: "fstrim.timer", unit: "fstrim.service" }, allowed)).toEqual({ runNow: false, runNowReason: "fstrim.service is not on the allow-list" });
    expect(runNowPolicy({ name: "sneaky.timer", unit: "caretaker-disks-grow.service" }, allowed).runNow).toBe(false);
  });
  it("parseInstance(instance) of the unitfile job takes <enable|disable>:<unit> only", () => {
    expect(parseInstance("enable:nginx.service")).toEqual({ verb: "enable", unit: "nginx.service" });
    expect(() => parseInstance("mask:nginx.service")).toThrow();
    expect(() => parseInstance("enable:../../x")).toThrow();
  });
});

describe("polkitRule(units)", () => {
  const rule = polkitRule(["nginx.service"]);
  const rules: Array<(action: unknown, subject: unknown) => unknown> = [];
  runInNewContext(rule, { polkit: { Result: { YES: "yes", NO: "no", NOT_HANDLED: "not-handled" }, addRule: (f: never) => rules.push(f) } });
  const ask = (user: string, id: string, unit: string, verb: string) => rules[0]({ id, lookup: (key: string) => ({ unit, verb })[key] }, { user });
  it("says yes to the listed unit and verbs, for caretaker-services only", () => {
    expect(ask("caretaker-services", "org.freedesktop.systemd1.manage-units", "nginx.service", "restart")).toBe("yes");
    expect(ask("caretaker-system", "org.freedesktop.systemd1.manage-units", "nginx.service", "restart")).toBe("not-handled");
  });
  it("says no to everything else of systemd for that user", () => {
    expect(ask("caretaker-services", "org.freedesktop.systemd1.manage-units", "apache2.service", "restart")).toBe("no");
    expect(ask("caretaker-services", "org.freedesktop.systemd1.manage-units", "nginx.service", "reload")).toBe("no");
    expect(ask("caretaker-services", "org.freedesktop.systemd1.manage-unit-files", "", "")).toBe("no");
    expect(ask("caretaker-services", "org.freedesktop.login1.reboot", "", "")).toBe("not-handled");
  });
});
