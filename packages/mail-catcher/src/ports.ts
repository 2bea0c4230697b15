import net from "node:net";

/** Fails fast, naming the service, when something already listens on the port. */
export async function assertPortFree(port: number, service: string, host = "127.0.0.1"): Promise<void> {
  const inUse = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
  if (inUse) throw portInUse(service, host, port);
}

/** Listens on host:port and resolves with the bound port (port 0 picks a free one). */
export function listenOn(server: net.Server, service: string, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      // assertPortFree races with other starters; say the same clear thing.
      reject(
        error.code === "EADDRINUSE"
          ? portInUse(service, host, port)
          : new Error(`${service} cannot start on ${host}:${port}: ${error.message}`),
      );
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function portInUse(service: string, host: string, port: number): Error {
  return new Error(`${service} cannot start: ${host}:${port} is already in use by another process.`);
}
