import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for api.line.me on loopback that accepts every reply and push, and counts them. */
export async function startFakeLineApi(): Promise<{
  url: string;
  delivered: () => number;
  close: () => Promise<void>;
}> {
  let delivered = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/v2/bot/message/')) delivered++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    delivered: () => delivered,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
