// The function's side of every action: check the request against the devices as they are now,
// refuse what must not happen, then hand the request to the job unit (it checks it all again).
import { HttpError } from "../_shared/errors.ts";
import { jobs } from "../_shared/jobs.ts";
import { collectInventory } from "./inventory.ts";
import { readJobStatus } from "./reports.ts";
import type { JobName, JobStatus } from "./schema-health.ts";
import type { Device, Inventory } from "./schema.ts";
import { requestPath, writeJsonFile } from "./state.ts";

const growable = ["ext4", "btrfs", "xfs"];

function findDevice(inventory: Inventory, kname: string): Device {
  const device = inventory.devices.find((candidate) => candidate.kname === kname);
  if (!device) throw new HttpError(422, `body.device: there is no block device ${kname}`);
  return device;
}

/** The confirmation must repeat the disk's identity exactly: the guard against a re-plugged disk. */
function checkConfirmation(device: Device, confirm: string): void {
  if (!device.identity) throw new HttpError(422, `body.device: ${device.path} has no serial or WWN to confirm with`, { code: "no_identity" });
  if (device.identity.value !== confirm) {
    throw new HttpError(409, `body.confirm: "${confirm}" does not name ${device.path}, whose ${device.identity.kind} is ${device.identity.value}; nothing was started`, { code: "confirmation_mismatch" });
  }
}

const below = (inventory: Inventory, kname: string): Device[] => {
  const children = inventory.devices.filter((device) => device.parents.includes(kname));
  return children.flatMap((child) => [child, ...below(inventory, child.kname)]);
};

function checkGrow(inventory: Inventory, device: Device): void {
  const type = device.filesystem?.type;
  if (!type || !growable.includes(type)) throw new HttpError(422, `body.device: ${device.path} holds ${type ?? "no filesystem"}; ext4, btrfs and xfs can be grown`);
  const parent = device.parents.length === 1 ? inventory.devices.find((candidate) => candidate.kname === device.parents[0]) : undefined;
  const partitionOfDisk = device.type === "part" && parent && parent.parents.length === 0;
  if (!partitionOfDisk && device.parents.length > 0) throw new HttpError(422, `body.device: ${device.path} is a ${device.type}, not a partition of a disk`);
}

function checkPrepare(inventory: Inventory, device: Device, mountpoint: string): void {
  if (device.parents.length > 0 || !["disk", "loop"].includes(device.type)) throw new HttpError(422, `body.device: ${device.path} is a ${device.type}, not a whole disk`);
  // the one rule that is never relaxed: a system disk is only ever grown
  if (device.system) throw new HttpError(409, `body.device: ${device.path} holds the system; it is never erased`, { code: "system_disk" });
  const used = [device, ...below(inventory, device.kname)].find((entry) => entry.mountpoints.length > 0);
  if (used) throw new HttpError(409, `body.device: ${used.path} is mounted at ${used.mountpoints.join(", ")}; unmount it first`, { code: "in_use" });
  if (inventory.filesystems.some((filesystem) => filesystem.mountpoint === mountpoint)) throw new HttpError(409, `body.mountpoint: ${mountpoint} is already a mountpoint`, { code: "in_use" });
}

export interface DeviceAction {
  device: string;
  confirm: string;
}

/** Checks a device action, writes its request for the job, starts the job; 409 while it runs. */
export async function startDeviceAction(job: Extract<JobName, "grow" | "prepare" | "selftest">, body: DeviceAction & Record<string, unknown>): Promise<JobStatus> {
  const inventory = await collectInventory();
  const device = findDevice(inventory, body.device);
  checkConfirmation(device, body.confirm);
  if (job === "grow") checkGrow(inventory, device);
  if (job === "prepare") checkPrepare(inventory, device, String(body.mountpoint));
  if (job === "selftest" && device.parents.length > 0) throw new HttpError(422, `body.device: ${device.path} is not a whole disk`);
  return startJob(job, body);
}

export async function startScan(mountpoint: string): Promise<JobStatus> {
  const inventory = await collectInventory();
  if (!inventory.filesystems.some((filesystem) => filesystem.mountpoint === mountpoint)) {
    throw new HttpError(422, `body.mountpoint: ${mountpoint} is not one of the mounted filesystems`);
  }
  return startJob("scan", { mountpoint });
}

/** The running job keeps its request: a second start is refused before the request file is replaced. */
export async function startJob(job: JobName, request: Record<string, unknown>): Promise<JobStatus> {
  const runner = jobs("disks");
  const current = await runner.state(job);
  if (current.state === "running") throw new HttpError(409, `${current.unit} is already running`, { code: "job_running" });
  await writeJsonFile(requestPath(job), { ...request, requestedAt: new Date().toISOString() });
  await runner.start(job);
  return readJobStatus(job);
}
