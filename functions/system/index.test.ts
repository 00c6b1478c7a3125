import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { setUpInProcess } from "../../test/support/credentials.ts";
import system from "./index.ts";
import { OverviewSchema } from "./schema.ts";

let headers: { authorization: string };
beforeAll(async () => {
  headers = await setUpInProcess();
});

describe("GET /api/system/overview", () => {
  it("answers this machine's overview in exactly the documented shape", async () => {
    const response = await system.fetch(new Request("http://x/api/system/overview", { headers }));
    expect(response.status).toBe(200);
    const body = await response.json();
    const parsed = v.safeParse(OverviewSchema, body);
    expect(parsed.issues).toBeUndefined();
    expect(body.filesystems[0]).toMatchObject({ mountpoint: "/", role: "root" });
    expect(Object.keys(body)).toEqual(["collectedAt", "hostname", "os", "kernel", "uptimeSeconds", "load", "memory", "temperature", "filesystems", "systemd"]);
  });
  it("refuses other methods with a JSON 405", async () => {
    const response = await system.fetch(new Request("http://x/api/system/overview", { method: "POST" }));
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({ error: { code: "method_not_allowed" } });
  });
});
