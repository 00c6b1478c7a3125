// Declares a function: its routes with their valibot schemas, and the one fetch handler that
// authenticates, validates, dispatches and formats errors for all of them.
import type * as v from "valibot";
import { IttyRouter, type IRequest } from "itty-router";
import { audit } from "./audit.ts";
import { authenticate, type Phase, type Principal } from "./auth.ts";
import { errorResponse, HttpError } from "./errors.ts";
import { parseInput, queryObject, readJsonBody } from "./validate.ts";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface HandlerInput<Query, Body> {
  query: Query;
  body: Body;
  params: Record<string, string>;
  principal: Principal;
  request: Request;
  signal: AbortSignal;
}

export interface Route<QuerySchema extends v.GenericSchema = v.GenericSchema, BodySchema extends v.GenericSchema = v.GenericSchema> {
  method: Method;
  /** path below /api/<function>, in itty-router syntax (`/archives/:name`) */
  path: string;
  summary: string;
  /** needs no credential (setup, login, status); the runtime still checks the phase and Origin */
  public?: boolean;
  /** "ready" (default): only after first-boot setup; "setup": only before it; "always": both */
  phase?: Phase;
  query?: QuerySchema;
  body?: BodySchema;
  /** the documented 200 body: a JSON schema, or a stream's media type */
  response: v.GenericSchema | { stream: "text/event-stream" };
  handle(input: HandlerInput<v.InferOutput<QuerySchema>, v.InferOutput<BodySchema>>): unknown;
}

export interface CaretakerFunction {
  name: string;
  summary: string;
  routes: readonly Route[];
  fetch(request: Request): Promise<Response>;
}

/** Keeps each route's handler typed by its own schemas while the table holds them all. */
export function route<Q extends v.GenericSchema = v.GenericSchema, B extends v.GenericSchema = v.GenericSchema>(
  spec: Route<Q, B>,
): Route {
  return spec as unknown as Route;
}

export function defineFunction(spec: { name: string; summary: string; routes: Route[] }): CaretakerFunction {
  const base = `/api/${spec.name}`;
  const router = IttyRouter({ base });
  const methodsByPath = IttyRouter({ base });

  for (const entry of spec.routes) {
    router[entry.method.toLowerCase() as "get"](entry.path, (request: IRequest) =>
      invoke(spec.name, entry, request as IRequest & Request),
    );
    methodsByPath.all(entry.path, () =>
      spec.routes.filter((other) => other.path === entry.path).map((other) => other.method),
    );
  }

  async function fetch(request: Request): Promise<Response> {
    try {
      const response = await router.fetch(request);
      if (response) return response;
      const allowed: Method[] | undefined = await methodsByPath.fetch(request);
      if (!allowed) throw new HttpError(404, `no route ${new URL(request.url).pathname}`);
      if (request.method === "HEAD" && allowed.includes("GET")) {
        const get = await router.fetch(new Request(request.url, { headers: request.headers, signal: request.signal }));
        return new Response(null, { status: get.status, headers: get.headers });
      }
      throw new HttpError(405, `${request.method} is not allowed here; use ${allowed.join(" or ")}`, {
        headers: { allow: allowed.join(", ") },
      });
    } catch (error) {
      return errorResponse(error);
    }
  }

  return { name: spec.name, summary: spec.summary, routes: spec.routes, fetch };
}

async function invoke(name: string, entry: Route, request: IRequest & Request): Promise<Response> {
  const write = entry.method !== "GET";
  let principal: Principal | undefined;
  let response: Response;
  try {
    principal = await authenticate(request, { function: name, write, public: entry.public, phase: entry.phase });
    response = await handle(entry, request, principal);
  } catch (error) {
    response = errorResponse(error);
  }
  // the audit trail: every state-changing request, whatever became of it
  if (write) {
    await audit({
      function: name,
      principal: principal?.name ?? "unauthenticated",
      action: `${entry.method} ${new URL(request.url).pathname}`,
      result: response.status,
      source: request.headers.get("x-forwarded-for") ?? "local",
    });
  }
  return response;
}

async function handle(entry: Route, request: IRequest & Request, principal: Principal): Promise<Response> {
  const url = new URL(request.url);
  const query = entry.query ? parseInput(entry.query, queryObject(url), "query") : undefined;
  const body = entry.body ? parseInput(entry.body, await readJsonBody(request), "body") : undefined;
  // a client that left while its request was read and checked gets nothing started on its behalf
  if (request.signal.aborted) throw new HttpError(499, "the client closed the connection before the work began; nothing was done", { code: "client_closed" });
  const result = await entry.handle({
    query,
    body,
    params: { ...request.params },
    principal,
    request,
    signal: request.signal,
  });
  if (result instanceof Response) return result;
  return Response.json(result);
}
