import type { LogLevel, Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/**
 * Bolt and the Web API client log through this, into the one pino root. Their debug lines are dropped
 * on purpose: the Web API client writes whole request bodies at debug level, and those bodies carry
 * residents' words, which never go to a log.
 */
export function createSlackLogger(logger: Logger): SlackLogger {
  const write = (level: 'info' | 'warn' | 'error', parts: unknown[]) => {
    const err = parts.find((p): p is Error => p instanceof Error);
    const msg = parts
      .filter((p) => !(p instanceof Error))
      .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
      .join(' ');
    if (err) logger[level]({ err }, msg || err.message);
    else logger[level](msg);
  };
  return {
    debug: () => {},
    info: (...parts: unknown[]) => write('info', parts),
    warn: (...parts: unknown[]) => write('warn', parts),
    error: (...parts: unknown[]) => write('error', parts),
    // pino's level governs; Bolt sets its default INFO at start-up and that must not change ours.
    setLevel: () => {},
    getLevel: () => 'info' as LogLevel,
    setName: () => {},
  };
}
