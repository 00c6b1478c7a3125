// The only module that talks to the caretaker API: every request and every error passes through here.

/** An API call that failed, carrying the status and the `{ error: { code, message } }` the API sent. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, or 0 when the box could not be reached at all
   * @param {string} code machine-readable code from the error body
   * @param {string} message human-readable message from the error body
   */
  constructor(status, code, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

/** "system/overview" and "/system/overview" both mean ./api/system/overview, relative to the page. */
function apiUrl(path) {
  return `./api/${path.replace(/^\/+/, "")}`;
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // A proxy error page or an empty body: fall back to the status line below.
  }
  const error = body && typeof body === "object" ? body.error : null;
  const code = typeof error?.code === "string" ? error.code : `http_${response.status}`;
  const message =
    typeof error?.message === "string" && error.message
      ? error.message
      : `the box answered ${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, code, message);
}

async function request(method, path, body) {
  const init = { method, credentials: "same-origin", headers: { accept: "application/json" } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(apiUrl(path), init);
  } catch (thrown) {
    throw new ApiError(0, "unreachable", `could not reach the box (${thrown.message})`);
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    // the session lapsed (idle, expired, signed out elsewhere): the session gate shows the login
    if (response.status === 401 && !path.startsWith("auth/")) dispatchEvent(new CustomEvent("caretaker:unauthenticated"));
    throw error;
  }
  if (response.status === 204) return null;
  return response.json();
}

/** GET a JSON document, e.g. `getJson("system/overview")`. */
export function getJson(path) {
  return request("GET", path);
}

/** Send a JSON body with a state-changing method, e.g. `sendJson("POST", "backups/runs", {})`. */
export function sendJson(method, path, body) {
  return request(method, path, body ?? {});
}

/** The API description (./openapi.json): which functions this box has, for the token scope picker. */
export async function getApiDescription() {
  const response = await fetch("./openapi.json", { headers: { accept: "application/json" } });
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}
