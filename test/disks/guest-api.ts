// The guest program's door to the disks API: HTTPS through Caddy with a bearer token, and commands
// run without blocking the event loop (the udev stand-in in the same process must keep working
// while a job partitions a disk).
import { apiJson } from "../system/guest/access.ts";
import { runAsync } from "../system/guest/systemctl.ts";

let token = "";
export const setToken = (value: string) => void (token = value);

export { runAsync };

export function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  return apiJson(token, method, `/api/disks${path}`, body);
}

/** Polls GET /jobs until a run of the job that finished after `since` is reported (at most two
 * minutes): right after a start the previous run's result may still be the newest. */
export async function finished(job: string, since: number): Promise<any> {
  let status: any = null;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    status = (await api("GET", "/jobs")).json?.jobs?.find((entry: { job: string }) => entry.job === job);
    if (status && status.state !== "running" && Date.parse(status.result?.finishedAt ?? "") >= since) return status;
    await Bun.sleep(200);
  }
  return status;
}
