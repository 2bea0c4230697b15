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
  if (inUse) {
    throw new Error(`${service} cannot start: ${host}:${port} is already in use by another process.`);
  }
}
