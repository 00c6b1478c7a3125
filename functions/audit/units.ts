// Finds caretaker's function and job units and tells them apart: a function's template has a socket of its name.

export interface AuditedUnit {
  unit: string;
  kind: "function" | "job";
  function: string;
  /** what systemd is given: a template needs an instance name (as test/system's exposure checks do) */
  analyzedAs: string;
}

/** The instance every audited template is loaded as. */
export const auditInstance = "audit";

const socketName = /^caretaker-(.+)\.socket$/;
const functionTemplate = /^caretaker-(.+)@\.service$/;

/** From the names of every caretaker *.service and *.socket file, the services to audit, sorted by name. */
export function classifyUnits(names: readonly string[]): AuditedUnit[] {
  const functions = names.map((name) => socketName.exec(name)?.[1]).filter((name): name is string => name !== undefined);
  // a job belongs to the longest function name it starts with (caretaker-disks-grow → disks)
  const byLength = [...functions].sort((a, b) => b.length - a.length);
  return names
    .filter((name) => name.startsWith("caretaker-") && name.endsWith(".service"))
    .sort()
    .map((unit): AuditedUnit => {
      const analyzedAs = unit.endsWith("@.service") ? unit.replace(/@\.service$/, `@${auditInstance}.service`) : unit;
      const template = functionTemplate.exec(unit)?.[1];
      if (template && functions.includes(template)) return { unit, kind: "function", function: template, analyzedAs };
      const owner = byLength.find((fn) => unit.startsWith(`caretaker-${fn}-`)) ?? unit.replace(/^caretaker-/, "").replace(/[-@].*$/, "");
      return { unit, kind: "job", function: owner, analyzedAs };
    });
}
