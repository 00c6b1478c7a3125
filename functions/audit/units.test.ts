// classifyUnits(names): function templates (a socket of the same name) apart from job units, each with its owner.
import { describe, expect, it } from "vitest";
import { classifyUnits } from "./units.ts";

describe("classifyUnits(names)", () => {
  it("tells functions from jobs, names the owner, and gives templates the audit instance", () => {
    const names = ["caretaker-disks.socket", "caretaker-disks@.service", "caretaker-disks-grow.service", "caretaker-setup.socket", "caretaker-setup@.service",
      "caretaker-setup-code.service", "caretaker-backups.socket", "caretaker-backups-create@.service", "caretaker-disks.timer"];
    expect(classifyUnits(names)).toEqual([
      { unit: "caretaker-backups-create@.service", kind: "job", function: "backups", analyzedAs: "caretaker-backups-create@audit.service" },
      { unit: "caretaker-disks-grow.service", kind: "job", function: "disks", analyzedAs: "caretaker-disks-grow.service" },
      { unit: "caretaker-disks@.service", kind: "function", function: "disks", analyzedAs: "caretaker-disks@audit.service" },
      { unit: "caretaker-setup-code.service", kind: "job", function: "setup", analyzedAs: "caretaker-setup-code.service" },
      { unit: "caretaker-setup@.service", kind: "function", function: "setup", analyzedAs: "caretaker-setup@audit.service" },
    ]);
  });
});
