// The connected socket systemd handed over, as a reader and a writer that report a gone peer instead of throwing.
import type { FileSink } from "bun";

export class SocketInput {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(fd: number) {
    this.reader = Bun.file(fd).stream().getReader();
  }

  /** The next bytes, or undefined once the peer closed its side (or the read failed: the same to us). */
  async read(): Promise<Uint8Array | undefined> {
    try {
      const { done, value } = await this.reader.read();
      return done ? undefined : value;
    } catch {
      return undefined;
    }
  }

  /** Reads and drops everything until the peer hangs up, then calls onHangUp (the request is fully read by then). */
  async watchForHangUp(onHangUp: () => void): Promise<void> {
    while ((await this.read()) !== undefined);
    onHangUp();
  }

  close(): void {
    this.reader.cancel().catch(() => {});
  }
}

export class SocketOutput {
  private readonly sink: FileSink;
  private failed = false;
  private writes = 0;

  constructor(fd: number) {
    this.sink = Bun.file(fd).writer();
  }

  /** True once anything was handed to the socket. */
  get used(): boolean {
    return this.writes > 0;
  }

  /** True when a write failed (EPIPE, ECONNRESET): the peer is gone and nothing more will be sent. */
  get gone(): boolean {
    return this.failed;
  }

  /** Writes and flushes, so each piece of a stream leaves as soon as it is produced; false if the peer is gone. */
  async write(bytes: Uint8Array): Promise<boolean> {
    if (this.failed) return false;
    this.writes++;
    try {
      this.sink.write(bytes);
      await this.sink.flush();
      return true;
    } catch {
      // A client that hung up is normal life for a server, not an error worth a stack trace.
      this.failed = true;
      return false;
    }
  }

  async close(): Promise<void> {
    try {
      await this.sink.end();
    } catch {
      this.failed = true;
    }
  }
}
