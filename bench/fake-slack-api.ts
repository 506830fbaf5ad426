import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for slack.com/api on loopback: answers the Web API methods the service calls, and
 * notes when each new alert (a chat.postMessage outside a thread) arrived.
 */
export async function startFakeSlackApi(): Promise<{
  url: string;
  alerts: () => number[];
  close: () => Promise<void>;
}> {
  const alerts: number[] = [];
  let ts = 1_700_000_000;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const method = req.url?.split('?')[0]?.replace(/^\/api\//, '') ?? '';
      const threaded = body.includes('thread_ts');
      if (method === 'chat.postMessage' && !threaded) alerts.push(performance.now());
      const answer: Record<string, unknown> = { ok: true };
      // Echo the channel asked for, as Slack does (JSON or form-encoded bodies).
      const channel =
        /"channel":"([^"]+)"/.exec(body)?.[1] ?? /(?:^|&)channel=([^&]+)/.exec(body)?.[1] ?? 'C0000000001';
      if (method.startsWith('chat.'))
        Object.assign(answer, { ts: `${ts++}.000100`, channel: decodeURIComponent(channel) });
      if (method === 'chat.getPermalink') answer.permalink = 'https://example.slack.com/archives/C0/p1';
      if (method === 'conversations.members' || method === 'usergroups.users.list')
        Object.assign(answer, { members: [], users: [] });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    alerts: () => [...alerts],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
