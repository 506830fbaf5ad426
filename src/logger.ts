import { createHash, createHmac } from 'node:crypto';
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** The one root logger. Everything else takes a child of it. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'madoguchi' },
      redact: {
        paths: ['req.headers["x-line-signature"]', 'req.headers["x-slack-signature"]'],
        remove: true,
      },
    },
    destination,
  );
}

/**
 * Logs never carry raw platform user ids: this keyed hash lets an operator correlate lines about the
 * same person without learning who they are. The key is per process unless one is provided.
 */
export function createIdHasher(secret?: string): (id: string) => string {
  const key =
    secret ?? createHash('sha256').update(`${process.pid}:${Date.now()}:${Math.random()}`).digest('hex');
  return (id: string) => createHmac('sha256', key).update(id).digest('base64url').slice(0, 12);
}
