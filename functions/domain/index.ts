// The domain function: the box's name and TLS mode, its certificate and renewal, changed through
// Caddy's admin API (which autosaves each loaded config; caddy.service resumes it after a reboot).
import * as v from "valibot";
import { defineFunction, route } from "../_shared/define.ts";
import { HttpError } from "../_shared/errors.ts";
import { readPublicJson } from "../_shared/public-state.ts";
import { applySettings } from "./apply.ts";
import { SettingsSchema, StatusSchema } from "./schema.ts";
import { defaultSources, type DomainSources } from "./sources.ts";
import { readStatus } from "./status.ts";

export function domainFunction(sources: () => DomainSources = defaultSources) {
  return defineFunction({
    name: "domain",
    summary: "The box's name and TLS mode (Caddy's internal CA or Let's Encrypt), its certificate and renewal state",
    routes: [
      route({
        method: "GET",
        path: "/status",
        summary: "The name and TLS mode Caddy runs with, the certificate it holds for the name, and its renewal state",
        response: StatusSchema,
        handle: () => readStatus(sources()),
      }),
      route({
        method: "PUT",
        path: "/settings",
        summary: "Change the name or TLS mode; answers once Caddy serves the new certificate, or restores the previous configuration and answers 502",
        body: SettingsSchema,
        response: StatusSchema,
        handle: async ({ body }) => {
          await applySettings(body, sources());
          return readStatus(sources());
        },
      }),
      route({
        method: "POST",
        path: "/apply-setup",
        summary: "Apply the name and TLS mode chosen at setup (box.json in caretaker's public state), as PUT /settings does",
        body: v.strictObject({}),
        response: StatusSchema,
        handle: async () => {
          const chosen = readPublicJson<unknown>("box", null);
          if (chosen === null) throw new HttpError(409, "setup has not chosen the box's name yet (no box.json)", { code: "setup_pending" });
          const parsed = v.safeParse(SettingsSchema, chosen);
          if (!parsed.success) {
            const problems = parsed.issues.map((issue) => `${v.getDotPath(issue) ?? "box.json"}: ${issue.message}`).join("; ");
            throw new HttpError(409, `setup's box.json is not a valid name and TLS mode: ${problems}`, { code: "invalid_setup_choice" });
          }
          await applySettings(parsed.output, sources());
          return readStatus(sources());
        },
      }),
    ],
  });
}

export default domainFunction();
