// defineFunction(...).fetch: what happens between the request and a route's handler.
import * as v from "valibot";
import { beforeAll, expect, test, vi } from "vitest";
import { setUpInProcess } from "../../test/support/credentials.ts";
import { defineFunction, route } from "./define.ts";

let headers: { authorization: string };
beforeAll(async () => {
  headers = await setUpInProcess();
});

test("a client that left while its request was read starts nothing: 499, audited as such", async () => {
  let started = 0;
  const changer = defineFunction({
    name: "changer",
    summary: "changes a thing",
    routes: [route({ method: "POST", path: "/thing", summary: "change the thing", body: v.object({ to: v.string() }), response: v.object({ changed: v.number() }), handle: () => ({ changed: ++started }) })],
  });
  const post = (signal: AbortSignal) =>
    changer.fetch(new Request("http://x/api/changer/thing", { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ to: "b" }), signal }));
  const stderr = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const gone = new AbortController();
    gone.abort();
    const left = await post(gone.signal);
    expect(left.status).toBe(499);
    expect((await left.json()).error.code).toBe("client_closed");
    expect(started).toBe(0);
    // dev mode's audit trail goes to stderr: the refused change is on it with its status
    expect(stderr.mock.calls.map(([line]) => JSON.parse(String(line)).audit)).toContainEqual(expect.objectContaining({ action: "POST /api/changer/thing", result: 499 }));

    const stayed = await post(new AbortController().signal);
    expect([stayed.status, await stayed.json(), started]).toEqual([200, { changed: 1 }, 1]);
  } finally {
    stderr.mockRestore();
  }
});
