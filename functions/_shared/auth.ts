// The seam where authentication plugs in: every request passes here before its handler runs.
// Until the access issue lands there is no credential store, so every caller is the local owner;
// replacing this one function with a session/token check secures every route of every function.

export interface Principal {
  kind: "anonymous" | "session" | "token";
  name: string;
}

export interface Access {
  function: string;
  /** true for methods that change state (anything but GET and HEAD) */
  write: boolean;
}

export async function authenticate(_request: Request, _access: Access): Promise<Principal> {
  return { kind: "anonymous", name: "owner" };
}
