// The status the page and API clients see: the settings, the job's record and the schedule, put in words.
import type { JobState } from "../_shared/jobs.ts";
import type { JobRecord, Settings, Status } from "./schema.ts";

export function stateOf(settings: Settings, record: JobRecord): Status["state"] {
  if (!settings.configured) return "not-configured";
  if (!settings.enabled) return "paused";
  if (record.stopped && record.stopped.revision === settings.revision) return "stopped";
  if (record.lastError) return "retrying";
  if (record.lastSuccess && record.revision === settings.revision) return "ok";
  return "waiting";
}

export function composeStatus(settings: Settings, record: JobRecord, schedule: Status["schedule"], job: JobState): Status {
  const state = stateOf(settings, record);
  return {
    state,
    hostname: settings.configured ? settings.hostname : null,
    provider: settings.configured ? settings.provider.kind : null,
    record: record.record,
    lastCheck: record.lastCheck,
    lastAttempt: record.lastAttempt,
    lastSuccess: record.lastSuccess,
    retryAt: state === "retrying" ? record.retryAt : null,
    error: state === "ok" || state === "not-configured" ? null : record.lastError,
    schedule,
    job,
    history: record.history,
  };
}
