import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with no variables at all', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.line).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.storage.kind).toBe('embedded');
    expect(config.municipalityConfigPath).toMatch(/config[/\\]municipality\.example\.yaml$/);
  });

  it('turns the LINE channel on when both LINE variables are set, with the public API as default', () => {
    const config = loadConfig({ LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't' });
    expect(config.line).toEqual({
      channelSecret: 's',
      channelAccessToken: 't',
      apiBaseUrl: 'https://api.line.me',
      dataApiBaseUrl: 'https://api-data.line.me',
    });
  });

  it('refuses half a LINE pair, naming the missing variable', () => {
    expect(() => loadConfig({ LINE_CHANNEL_SECRET: 'secret' })).toThrowError(
      /LINE_CHANNEL_ACCESS_TOKEN: required/,
    );
  });

  it('refuses half a Slack pair, naming the missing variable', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrowError(/SLACK_SIGNING_SECRET: required/);
  });

  it('lists every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', LINE_API_BASE_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT:/m);
    expect(problems).toMatch(/^LOG_LEVEL:/m);
    expect(problems).toMatch(/^LINE_API_BASE_URL:/m);
  });

  it('treats empty strings as unset and chooses MongoDB when MONGODB_URI is set', () => {
    const config = loadConfig({ LINE_CHANNEL_SECRET: '', MONGODB_URI: 'mongodb://db:27017/?replicaSet=rs0' });
    expect(config.line).toBeUndefined();
    expect(config.storage).toEqual({
      kind: 'mongo',
      uri: 'mongodb://db:27017/?replicaSet=rs0',
      dbName: 'madoguchi',
    });
  });

  it('keeps the playground off on a non-loopback bind unless PLAYGROUND_ALLOW_NETWORK says so', () => {
    expect(loadConfig({ HOST: '0.0.0.0' })).toMatchObject({
      playground: false,
      playgroundRefusedOnHost: true,
    });
    expect(loadConfig({ HOST: '0.0.0.0', PLAYGROUND: 'on' })).toMatchObject({ playground: false });
    expect(loadConfig({ HOST: '0.0.0.0', PLAYGROUND_ALLOW_NETWORK: 'true' })).toMatchObject({
      playground: true,
      playgroundRefusedOnHost: false,
    });
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2'])
      expect(loadConfig({ HOST: host })).toMatchObject({ playground: true, playgroundRefusedOnHost: false });
    expect(loadConfig({ HOST: '0.0.0.0', PLAYGROUND: 'off' }).playgroundRefusedOnHost).toBe(false);
    expect(() => loadConfig({ PLAYGROUND_ALLOW_NETWORK: 'maybe' })).toThrowError(/PLAYGROUND_ALLOW_NETWORK/);
  });

  it('takes the deadlines from the environment, with defaults, and refuses nonsense', () => {
    expect(loadConfig({}).deadlines).toEqual({
      profileLookupMs: 2_000,
      apiCallMs: 10_000,
      outboxSendMs: 20_000,
    });
    expect(loadConfig({ LINE_PROFILE_TIMEOUT_MS: '150' }).deadlines.profileLookupMs).toBe(150);
    expect(() => loadConfig({ OUTBOX_SEND_TIMEOUT_MS: '0' })).toThrowError(/OUTBOX_SEND_TIMEOUT_MS/);
    expect(() => loadConfig({ API_TIMEOUT_MS: 'soon' })).toThrowError(/API_TIMEOUT_MS/);
  });

  it('puts the engine on a processing thread when the store can be shared and the playground is off', () => {
    const line = { LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't' };
    const mongo = { MONGODB_URI: 'mongodb://127.0.0.1:27017' };
    expect(loadConfig({ ...line, ...mongo }).processing).toBe('thread');
    // The embedded SQLite file too: WAL lets the two threads' connections share it.
    expect(loadConfig({ ...line }).processing).toBe('thread');
    expect(loadConfig({ ...line, ...mongo, PROCESSING: 'inline' }).processing).toBe('inline');
    // The playground's panes read what its sender holds in memory, on the engine's thread.
    expect(loadConfig({ ...mongo }).processing).toBe('inline');
    expect(() => loadConfig({ ...mongo, PROCESSING: 'thread' })).toThrowError(
      /PROCESSING=thread: the playground/,
    );
    expect(() => loadConfig({ PROCESSING: 'sideways' })).toThrowError(/PROCESSING/);
  });

  it('lets the processing thread step aside for acknowledgements (SCHED_IDLE) unless told otherwise', () => {
    expect(loadConfig({}).processingPriority).toBe('idle');
    expect(loadConfig({ PROCESSING_PRIORITY: 'low' }).processingPriority).toBe('low');
    expect(loadConfig({ PROCESSING_PRIORITY: 'normal' }).processingPriority).toBe('normal');
    expect(() => loadConfig({ PROCESSING_PRIORITY: 'realtime' })).toThrowError(/PROCESSING_PRIORITY/);
  });

  it('takes how the embedded store commits from DATA_SYNC, normal by default, and refuses others', () => {
    expect(loadConfig({}).storage).toMatchObject({ kind: 'embedded', synchronous: 'normal' });
    expect(loadConfig({ DATA_SYNC: 'full' }).storage).toMatchObject({
      kind: 'embedded',
      synchronous: 'full',
    });
    expect(() => loadConfig({ DATA_SYNC: 'off' })).toThrowError(/DATA_SYNC/);
  });
});
