// The system function: a read-only overview of the box (host, load, memory, disks, caretaker's units).
import { defineFunction, route } from "../_shared/define.ts";
import { collectOverview } from "./overview.ts";
import { OverviewSchema } from "./schema.ts";

export default defineFunction({
  name: "system",
  summary: "Read-only overview of the machine: OS, kernel, uptime, load, memory, temperature, filesystems and caretaker's units",
  routes: [
    route({
      method: "GET",
      path: "/overview",
      summary: "Everything about the machine at a glance, read fresh on each request",
      response: OverviewSchema,
      handle: () => collectOverview(),
    }),
  ],
});
