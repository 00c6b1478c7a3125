import * as v from "valibot";
import { describe, expect, it } from "vitest";
import system from "./index.ts";
import { OverviewSchema } from "./schema.ts";

describe("GET /api/system/overview", () => {
  it("answers this machine's overview in exactly the documented shape", async () => {
    const response = await system.fetch(new Request("http://x/api/system/overview"));
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
