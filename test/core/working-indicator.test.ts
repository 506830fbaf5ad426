import { describe, expect, it } from 'vitest';
import type { ChannelSender } from '../../src/core/ports/channel-sender.js';
import type { ChannelName } from '../../src/core/ports/incoming-event.js';
import { withWorkingIndicator } from '../../src/core/working-indicator.js';
import { incomingEvent } from '../support/events.js';

function recordingSender(calls: string[]): ReadonlyMap<ChannelName, ChannelSender> {
  const sender: ChannelSender = {
    channel: 'line',
    send: async () => ({ kind: 'sent' }),
    showTyping: async (address, seconds) => {
      calls.push(`${address}:${seconds}`);
    },
  };
  return new Map([['line', sender]]);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('withWorkingIndicator', () => {
  it('shows the typing hint when answering a message takes long', async () => {
    const calls: string[] = [];
    const handle = withWorkingIndicator(() => sleep(60), recordingSender(calls), 10, 5);
    await handle(incomingEvent('U1', { type: 'text', text: 'x' }, new Date()));
    expect(calls).toEqual(['U1:5']);
  });

  it('costs no API call when the answer is quick, or for events nobody waits on', async () => {
    const calls: string[] = [];
    const quick = withWorkingIndicator(async () => {}, recordingSender(calls), 50);
    await quick(incomingEvent('U1', { type: 'text', text: 'x' }, new Date()));
    const slow = withWorkingIndicator(() => sleep(30), recordingSender(calls), 5);
    await slow(incomingEvent('U1', { type: 'unfollow' }, new Date()));
    await sleep(60);
    expect(calls).toEqual([]);
  });
});
