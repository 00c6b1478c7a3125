// The setup function: first boot only. With the one-time setup code it sets the admin password and
// the box's name; afterwards every route answers 409 (the runtime enforces phase "setup").
import { hostname } from "node:os";
import { HttpError } from "../_shared/errors.ts";
import { defineFunction, route } from "../_shared/define.ts";
import { checkBox } from "./box-name.ts";
import { completeSetup, checkSetupCode } from "./complete.ts";
import { CodeRequestSchema, CodeResponseSchema, CompleteRequestSchema, CompleteResponseSchema, StatusSchema } from "./schema.ts";

export default defineFunction({
  name: "setup",
  summary: "First-boot setup: with the one-time setup code, set the admin password and the box's name (then 409 for ever)",
  routes: [
    route({
      method: "GET",
      path: "/status",
      summary: "What the wizard needs to suggest a name for the box",
      public: true,
      phase: "setup",
      response: StatusSchema,
      handle: ({ request }) => {
        const reachedAt = (request.headers.get("host") ?? "").replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
        const host = hostname();
        return { hostname: host, suggestions: [...new Set([reachedAt, `${host}.local`].filter(Boolean))], passwordMinLength: 10 };
      },
    }),
    route({
      method: "POST",
      path: "/code",
      summary: "Checks the setup code, so the wizard can say so before asking for a password",
      public: true,
      phase: "setup",
      body: CodeRequestSchema,
      response: CodeResponseSchema,
      handle: ({ body }) => {
        checkSetupCode(body.code);
        return { valid: true as const };
      },
    }),
    route({
      method: "POST",
      path: "/complete",
      summary: "Sets the admin password and the box's name; ends the setup phase",
      public: true,
      phase: "setup",
      body: CompleteRequestSchema,
      response: CompleteResponseSchema,
      handle: async ({ body }) => {
        const problem = checkBox(body.box);
        if (problem) throw new HttpError(422, problem);
        return { complete: true as const, box: await completeSetup(body) };
      },
    }),
  ],
});
