// Generates the OpenAPI 3.1 description of every function from its route table and valibot schemas.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import type { CaretakerFunction, Route } from "../_shared/define.ts";

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
  },
};

function jsonSchema(schema: v.GenericSchema): object {
  const { $schema: _, ...rest } = toJsonSchema(schema, { target: "draft-2020-12", errorMode: "ignore" }) as Record<string, unknown>;
  return rest;
}

/** itty-router's `/archives/:name` is OpenAPI's `/archives/{name}`. */
function openapiPath(name: string, path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const converted = path.replace(/:([A-Za-z_]\w*)/g, (_, param: string) => {
    params.push(param);
    return `{${param}}`;
  });
  return { path: `/api/${name}${converted}`, params };
}

function queryParameters(route: Route): object[] {
  if (!route.query) return [];
  const schema = jsonSchema(route.query) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

function operation(fn: CaretakerFunction, route: Route, params: string[]): object {
  const ok =
    "stream" in route.response
      ? { description: "a stream of server-sent events", content: { [route.response.stream]: { schema: { type: "string" } } } }
      : { description: "success", content: { "application/json": { schema: jsonSchema(route.response as v.GenericSchema) } } };
  const error = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
  const errors = Object.fromEntries(["400", "404", "405", "413", "415", "422"].map((status) => [status, error("the request was not acceptable")]));
  // the door (functions/_shared/auth.ts): credentials and scope, the Origin of writes, and the setup phase
  const phase = route.phase ?? "ready";
  const door = {
    ...(route.public ? {} : { "401": error("no credential, or a forged, expired or revoked one") }),
    "403": error(route.public ? "a state-changing request from another origin" : "the credential's scope does not cover this, or a cross-origin write"),
    ...(phase === "ready" ? { "503": error("the box is not set up yet (code setup_pending)") } : {}),
    ...(phase === "setup" ? { "409": error("setup is complete (code setup_complete)") } : {}),
  };
  return {
    operationId: `${fn.name}.${route.method.toLowerCase()}${route.path.replace(/[/:]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    tags: [fn.name],
    // public routes need no credential; the rest take the session cookie or a bearer token
    ...(route.public ? { security: [] } : {}),
    "x-caretaker-phase": phase,
    parameters: [
      ...params.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
      ...queryParameters(route),
    ],
    ...(route.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(route.body) } } } }
      : {}),
    responses: { "200": ok, ...errors, ...door },
  };
}

export async function describe(root: string): Promise<object> {
  const names = readdirSync(join(root, "functions"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"))
    .map((entry) => entry.name)
    .sort();
  const paths: Record<string, Record<string, object>> = {};
  const tags = [];
  for (const name of names) {
    const fn: CaretakerFunction = (await import(join(root, "functions", name, "index.ts"))).default;
    tags.push({ name, description: fn.summary });
    for (const route of fn.routes) {
      const { path, params } = openapiPath(name, route.path);
      paths[path] ??= {};
      paths[path][route.method.toLowerCase()] = operation(fn, route, params);
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: "caretaker", version: "0.1.0", license: { name: "AGPL-3.0-or-later", identifier: "AGPL-3.0-or-later" } },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    tags,
    paths,
    security: [{ bearer: [] }, { session: [] }],
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "an API token, created on the Access page or with POST /api/auth/tokens" },
        session: { type: "apiKey", in: "cookie", name: "caretaker_session", description: "the page's session, from POST /api/auth/login" },
      },
    },
  };
}

if (import.meta.main) {
  process.stdout.write(`${JSON.stringify(await describe(join(import.meta.dir, "../..")), null, 2)}\n`);
}
