// The audit trail: one structured journal entry per state-changing request (who, which function,
// what, result), through `logger --journald`; in dev mode (no journald) the same fields on stderr.
import { existsSync } from "node:fs";
import { bootedMarker } from "./systemd.ts";
import { exec as realExec, type Exec } from "./exec.ts";

export interface AuditRecord {
  function: string;
  /** who: "admin (session <id>)", "token <name> (<id>)" or "anonymous" */
  principal: string;
  /** what: method and path, never a body or a query (they may carry secrets) */
  action: string;
  /** the HTTP status the request ended with */
  result: number;
  /** the client's address as Caddy saw it (X-Forwarded-For), "local" without Caddy */
  source: string;
}

const logger = "/usr/bin/logger";

/** journald's export format: one FIELD=value per line, so values lose any line break. */
export function journalFields(record: AuditRecord): string {
  const clean = (value: string | number) => String(value).replace(/[\r\n]+/g, " ");
  const fields: Record<string, string | number> = {
    MESSAGE: `caretaker audit: ${record.principal} ${record.action} on ${record.function} from ${record.source} -> ${record.result}`,
    PRIORITY: record.result < 400 ? 5 : 4,
    SYSLOG_IDENTIFIER: "caretaker-audit",
    CARETAKER_AUDIT: 1,
    CARETAKER_FUNCTION: record.function,
    CARETAKER_PRINCIPAL: record.principal,
    CARETAKER_ACTION: record.action,
    CARETAKER_RESULT: record.result,
    CARETAKER_SOURCE: record.source,
  };
  return Object.entries(fields).map(([key, value]) => `${key}=${clean(value)}`).join("\n") + "\n";
}

/** Never throws: a lost audit line is reported on stderr (which the journal keeps), not to the client. */
export async function audit(record: AuditRecord, options: { exec?: Exec; booted?: boolean } = {}): Promise<void> {
  try {
    if (options.booted ?? existsSync(bootedMarker)) {
      await (options.exec ?? realExec)(logger, ["--journald"], { input: journalFields(record), timeoutMs: 5000 });
    } else {
      console.error(JSON.stringify({ audit: record }));
    }
  } catch (error) {
    console.error(`caretaker audit: could not write ${JSON.stringify(record)}: ${error instanceof Error ? error.message : error}`);
  }
}
