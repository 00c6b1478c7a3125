// Turns untrusted request input into typed values, or a 4xx that names the offending field.
import * as v from "valibot";
import { HttpError } from "./errors.ts";

/** Parses `value` with `schema`; the 422 message names every failing field by its path (`body.name`). */
export function parseInput<S extends v.GenericSchema>(schema: S, value: unknown, where: "query" | "body"): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const path = v.getDotPath(issue);
    return `${path ? `${where}.${path}` : where}: ${issue.message}`;
  });
  throw new HttpError(422, problems.join("; "));
}

/** Reads a JSON request body; state-changing requests carry JSON and nothing else. */
export async function readJsonBody(request: Request, maxBytes = 64 * 1024): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, "the request body must be JSON (content-type: application/json)");
  }
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > maxBytes) {
    throw new HttpError(413, `the request body is larger than ${maxBytes} bytes`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "the request body is not valid JSON");
  }
}

/** Query parameters as a plain object; a repeated parameter is an error rather than a silent pick. */
export function queryObject(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in query) throw new HttpError(400, `query parameter "${key}" is given more than once`);
    query[key] = value;
  }
  return query;
}
