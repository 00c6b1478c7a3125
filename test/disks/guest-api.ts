// The guest program's door to the disks API: HTTPS through Caddy with a bearer token, and commands
// run without blocking the event loop (the udev stand-in in the same process must keep working
// while a job partitions a disk).
import { origin } from "../system/guest/access.ts";

let token = "";
export const setToken = (value: string) => void (token = value);

export async function runAsync(argv: string[]) {
  const child = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout: stdout.trim(), stderr: stderr.trim() };
}

export async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const argv = ["curl", "-sS", "-k", "--max-time", "30", "-X", method, "-w", "\n%{http_code}", "-H", `authorization: Bearer ${token}`];
  if (body !== undefined) argv.push("-H", `origin: ${origin}`, "-H", "content-type: application/json", "--data-binary", JSON.stringify(body));
  const lines = (await runAsync([...argv, `${origin}/api/disks${path}`])).stdout.split("\n");
  const status = Number(lines.pop());
  let json: any = null;
  try {
    json = JSON.parse(lines.join("\n"));
  } catch {}
  return { status, json };
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
