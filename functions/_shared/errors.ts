// Status errors and the one place that turns any thrown value into a JSON error response.

const codes: Record<number, string> = {
  400: "bad_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  408: "request_timeout",
  409: "conflict",
  411: "length_required",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "invalid_input",
  429: "too_many_requests",
  431: "headers_too_large",
  500: "internal",
  501: "not_implemented",
  503: "unavailable",
  504: "timeout",
};

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, options: { code?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = options.code ?? codes[status] ?? "error";
    this.headers = options.headers ?? {};
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

/** Formats any thrown value; anything that is not an HttpError becomes an opaque 500 and is logged here. */
export function errorResponse(thrown: unknown): Response {
  const error =
    thrown instanceof HttpError ? thrown : new HttpError(500, "internal error: see the journal of this function");
  if (!(thrown instanceof HttpError)) console.error(thrown);
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { ...error.headers, "content-type": "application/json" },
  });
}
