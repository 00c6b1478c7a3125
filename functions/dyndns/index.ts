// The dyndns function: the owner's DynDNS settings, the update job's status, and "check now".
// It has no network itself; only its job unit, caretaker-dyndns-update.service, talks to the provider.
import { defineFunction, route } from "../_shared/define.ts";
import { jobs } from "../_shared/jobs.ts";
import { readRecord } from "./job-record.ts";
import { JobStateSchema, EmptyBodySchema, SettingsInputSchema, SettingsSchema, StatusSchema } from "./schema.ts";
import { forgetSettings, readSettings, saveSettings } from "./settings.ts";
import { stateDirectory } from "./state-files.ts";
import { composeStatus } from "./status.ts";
import { schedule } from "./timer.ts";

export default defineFunction({
  name: "dyndns",
  summary: "Keeps the box's name pointing at its changing address: provider settings, update status and history",
  routes: [
    route({
      method: "GET",
      path: "/settings",
      summary: "The DynDNS settings (the password or token is never returned, only whether one is stored)",
      response: SettingsSchema,
      handle: () => readSettings(stateDirectory()),
    }),
    route({
      method: "PUT",
      path: "/settings",
      summary: "Saves the settings; a stop after a provider's refusal ends with new settings. Then use POST /run",
      body: SettingsInputSchema,
      response: SettingsSchema,
      handle: ({ body }) => saveSettings(stateDirectory(), body),
    }),
    route({
      method: "DELETE",
      path: "/settings",
      summary: "Forgets the settings, the stored secret and the history; the provider's record is left as it is",
      body: EmptyBodySchema,
      response: SettingsSchema,
      handle: () => forgetSettings(stateDirectory()),
    }),
    route({
      method: "GET",
      path: "/status",
      summary: "Last attempt, last success, the current record, the next run, the last error in words, and the history",
      response: StatusSchema,
      handle: async () => {
        const dir = stateDirectory();
        const [when, job] = await Promise.all([schedule(), jobs("dyndns").state("update")]);
        return composeStatus(readSettings(dir), readRecord(dir), when, job);
      },
    }),
    route({
      method: "POST",
      path: "/run",
      summary: "Runs the update job now (it still sends nothing when the address has not changed); 409 while it runs",
      body: EmptyBodySchema,
      response: JobStateSchema,
      handle: () => jobs("dyndns").start("update"),
    }),
  ],
});
