// First, before the modules below load: see holdYoungGeneration.
import './processing/hold-young-generation.js';
import type { Server } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startService } from './processing/start-service.js';

/** Docker sends SIGKILL 10 s after SIGTERM; finish well before that. */
const SHUTDOWN_GRACE_MS = 8_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (!config.line)
    logger.info('LINE channel is off (LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN are not set)');
  if (config.playgroundRefusedOnHost)
    logger.warn(
      { host: config.host },
      'playground is off: HOST is not a loopback interface (set PLAYGROUND_ALLOW_NETWORK=true to run it anyway; it still answers only connections from this machine)',
    );
  if (!config.slack)
    logger.info('Slack handoff is off (SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set)');
  logger.info(
    {
      store: config.storage.kind,
      ...(config.storage.kind === 'embedded' ? { dataDir: config.storage.dataDir } : {}),
    },
    'opening the store',
  );

  const { service, stop } = await startService({
    config,
    logger,
    onProcessingExit: (code) => {
      logger.fatal(
        { code },
        'the processing thread ended on its own; exiting so that the service is restarted (stored work is kept)',
      );
      process.exit(1);
    },
  });
  const server: Server = service.app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ url: `http://${config.host}:${port}/` }, 'madoguchi is listening');
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing work in hand');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting with work left in the durable queues');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    // In-flight webhooks finish (their events get stored) before the workers and the store stop.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await stop(SHUTDOWN_GRACE_MS - 1_000);
    logger.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

await main();
