// sandboxFacts and parseShowBlocks: the same sandbox read from systemctl show (live) and from a unit file (offline).
import { describe, expect, it } from "vitest";
import { parseUnitText } from "../_shared/unit-file.ts";
import { sandboxFacts } from "./sandbox.ts";
import { parseShowBlocks } from "./sandboxes.ts";

// systemctl show prints properties in its own order (Id is not first) and units apart by an empty line
const show = `User=caretaker-audit
Id=caretaker-audit-ports.service
DynamicUser=yes
CapabilityBoundingSet=cap_dac_read_search cap_sys_ptrace
AmbientCapabilities=cap_dac_read_search cap_sys_ptrace
ProtectSystem=strict
InaccessiblePaths=-/etc/shadow -/var/lib/caddy
StateDirectory=caretaker-audit
PrivateNetwork=no
IPAddressDeny=0.0.0.0/0 ::/0
RestrictAddressFamilies=AF_UNIX
SystemCallFilter=write read close
DeviceAllow=char-rtc r, char-null rw

Id=caretaker-system@audit.service
User=caretaker-system
PrivateNetwork=yes
SystemCallFilter=~reboot mount
`;

describe("parseShowBlocks(stdout) + sandboxFacts(settings, live)", () => {
  it("keeps each unit's properties apart, whatever order systemctl prints them in", () => {
    const blocks = parseShowBlocks(show);
    const ports = sandboxFacts(blocks.get("caretaker-audit-ports.service")!, true);
    expect(ports.user).toEqual({ name: "caretaker-audit", dynamic: true, groups: [] });
    expect(ports.capabilities).toEqual({ bounding: ["cap_dac_read_search", "cap_sys_ptrace"], ambient: ["cap_dac_read_search", "cap_sys_ptrace"] });
    expect(ports.paths).toMatchObject({ writable: ["/var/lib/caretaker-audit"], hidden: ["/etc/shadow", "/var/lib/caddy"] });
    expect(ports.network).toEqual({ private: false, ipDeny: ["0.0.0.0/0", "::/0"], ipAllow: [] });
    expect(ports.syscallFilter).toEqual({ mode: "allow", entries: ["close", "read", "write"], architectures: [] });
    expect(ports.devices.allow).toEqual(["char-rtc r", "char-null rw"]);
    const system = sandboxFacts(blocks.get("caretaker-system@audit.service")!, true);
    expect(system.syscallFilter).toEqual({ mode: "deny", entries: ["mount", "reboot"], architectures: [] });
    expect(system.network.private).toBe(true);
  });

  it("reads a unit file's lists as systemd does: an empty assignment resets, the groups stay as written", () => {
    const unit = parseUnitText(`[Service]
AmbientCapabilities=CAP_CHOWN
AmbientCapabilities=
CapabilityBoundingSet=CAP_DAC_READ_SEARCH
BindReadOnlyPaths=-/var/lib/caddy/certificates
LoadCredential=provider-secret:/var/lib/private/x/provider-secret
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
`, "x.service");
    const settings = new Map<string, string[]>();
    for (const directive of unit.sections.get("Service")!) settings.set(directive.key, [...(settings.get(directive.key) ?? []), directive.value]);
    const facts = sandboxFacts(settings, false);
    expect(facts.capabilities).toEqual({ bounding: ["cap_dac_read_search"], ambient: [] });
    expect(facts.paths).toMatchObject({ readOnly: ["/var/lib/caddy/certificates"], credentials: ["provider-secret"], protectSystem: "no" });
    expect(facts.user).toEqual({ name: "root", dynamic: false, groups: [] });
    expect(facts.syscallFilter).toEqual({ mode: "allow", entries: ["@system-service", "~@privileged @resources"], architectures: [] });
  });
});
