import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, projectRoot } from '../src/config.js';

/** Docker cannot run on the CI machines, so compose.yaml is checked by reading it. */
interface ComposeService {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
}

const compose = parse(readFileSync(path.join(projectRoot, 'compose.yaml'), 'utf8')) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const service = compose.services.madoguchi as ComposeService;
const mongo = compose.services.mongo as ComposeService;

/** The variables src/config.ts reads: the keys of its envSchema, read from the source. */
function publicConfigNames(): string[] {
  const source = readFileSync(path.join(projectRoot, 'src', 'config.ts'), 'utf8');
  const schema = source.slice(source.indexOf('const envSchema = z.object({'));
  const body = schema.slice(0, schema.indexOf('\n});'));
  return [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] as string);
}

/** Compose's `${NAME:-default}` with nothing set in the environment: the default. */
const interpolate = (value: string) => value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');

describe('compose.yaml', () => {
  const names = publicConfigNames();
  const env = service.environment ?? {};

  it('reads the config names from src/config.ts', () => {
    expect(names).toEqual(expect.arrayContaining(['PORT', 'HOST', 'MONGODB_URI', 'MONGODB_DB']));
    expect(names).toEqual(
      expect.arrayContaining(['LINE_CHANNEL_SECRET', 'SLACK_BOT_TOKEN', 'MUNICIPALITY_CONFIG']),
    );
  });

  it('sets only variables the service reads, and the ones a deployment needs', () => {
    for (const name of Object.keys(env))
      expect(names, `${name} is not read by src/config.ts`).toContain(name);
    for (const name of [
      'HOST',
      'MONGODB_URI',
      'MONGODB_DB',
      'MUNICIPALITY_CONFIG',
      'LINE_CHANNEL_SECRET',
      'LINE_CHANNEL_ACCESS_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_BOT_TOKEN',
    ]) {
      expect(Object.keys(env)).toContain(name);
    }
  });

  it('takes secrets from the environment, never from the file', () => {
    for (const name of [
      'LINE_CHANNEL_SECRET',
      'LINE_CHANNEL_ACCESS_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_BOT_TOKEN',
    ]) {
      expect(env[name]).toBe(`\${${name}:-}`);
    }
  });

  it('is a configuration loadConfig accepts: MongoDB through the replica set, the example city by default', () => {
    const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v))]));
    const config = loadConfig(resolved);
    expect(config.storage).toEqual({
      kind: 'mongo',
      uri: 'mongodb://mongo:27017/?replicaSet=rs0',
      dbName: 'madoguchi',
    });
    expect(config.host).toBe('0.0.0.0');
    expect(config.line).toBeUndefined();
    const mounted = (service.volumes ?? []).find((v) => v.split(':')[1] === '/app/config');
    expect(mounted).toBe('./config:/app/config:ro');
    const file = config.municipalityConfigPath.replace(/^\/app\/config\//, '');
    expect(existsSync(path.join(projectRoot, 'config', file)), file).toBe(true);
  });

  it('builds the image from this repository and publishes the port on loopback only', () => {
    expect(service.build).toBe('.');
    expect(service.ports).toEqual([`127.0.0.1:3000:${env.PORT}`]);
    expect(service.stop_grace_period).toBe('10s');
  });

  it('runs MongoDB 8 as a replica set, initiated by its healthcheck, before the service starts', () => {
    expect(mongo.image).toMatch(/^mongo:8(\.|$)/);
    expect(mongo.command).toEqual(expect.arrayContaining(['mongod', '--replSet', 'rs0']));
    const check = (mongo.healthcheck?.test ?? []).join(' ');
    expect(check).toContain('mongosh');
    expect(check).toMatch(/rs\.initiate\(\{ _id: 'rs0', members: \[\{ _id: 0, host: 'mongo:27017' \}\] \}\)/);
    expect(check).toContain('isWritablePrimary');
    expect(service.depends_on?.mongo?.condition).toBe('service_healthy');
    expect(env.MONGODB_URI).toContain('replicaSet=rs0');
  });

  it('keeps MongoDB data in named volumes', () => {
    expect(mongo.volumes).toEqual(
      expect.arrayContaining(['mongo-data:/data/db', 'mongo-config:/data/configdb']),
    );
    expect(Object.keys(compose.volumes ?? {})).toEqual(
      expect.arrayContaining(['mongo-data', 'mongo-config']),
    );
  });
});
