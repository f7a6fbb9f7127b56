/**
 * A TCP proxy in front of a real database server, for fault tests: `cut()`
 * drops every open connection and stops listening, so new connections are
 * refused as when the server is down, until `restore()` listens on the same
 * port again. Only 127.0.0.1.
 *
 * @module
 */

/** Forwards 127.0.0.1:port to 127.0.0.1:targetPort. */
export class TcpProxy {
  readonly #target: number;
  #listener: Deno.TcpListener | undefined;
  readonly #conns = new Set<Deno.Conn>();
  readonly port: number;

  constructor(targetPort: number) {
    this.#target = targetPort;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.#accept(this.#listener);
  }

  async #accept(listener: Deno.TcpListener): Promise<void> {
    try {
      for await (const client of listener) this.#pipe(client).catch(() => {});
    } catch { /* listener closed */ }
  }

  async #pipe(client: Deno.Conn): Promise<void> {
    let server: Deno.Conn;
    try {
      server = await Deno.connect({ hostname: "127.0.0.1", port: this.#target });
    } catch {
      client.close();
      return;
    }
    this.#conns.add(client);
    this.#conns.add(server);
    const close = () => {
      for (const c of [client, server]) {
        this.#conns.delete(c);
        try {
          c.close();
        } catch { /* closed already */ }
      }
    };
    await Promise.race([
      client.readable.pipeTo(server.writable, { preventClose: true }).catch(() => {}),
      server.readable.pipeTo(client.writable, { preventClose: true }).catch(() => {}),
    ]);
    close();
  }

  /** Drops all connections and refuses new ones. */
  cut(): void {
    this.#listener?.close();
    this.#listener = undefined;
    for (const c of [...this.#conns]) {
      try {
        c.close();
      } catch { /* closed already */ }
    }
    this.#conns.clear();
  }

  /** Lets connections through again. */
  restore(): void {
    if (this.#listener) return;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: this.port });
    this.#accept(this.#listener);
  }

  /** Stops the proxy. */
  close(): void {
    this.cut();
  }
}
