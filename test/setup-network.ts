import nock from 'nock';
import { afterEach } from 'vitest';

// Tests never reach the internet; supertest still needs the loopback interface.
nock.disableNetConnect();
nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
afterEach(() => nock.cleanAll());
