import { describe, expect, it } from 'vitest';
import { LocalSender } from '../../../src/channels/local/local-sender.js';
import type { OutboxRecord } from '../../../src/core/ports/store.js';

const at = new Date('2026-11-04T01:00:00Z');

function item(overrides: Partial<OutboxRecord>): OutboxRecord {
  return {
    id: crypto.randomUUID(),
    channel: 'local',
    address: 'resident-1',
    messages: [],
    createdAt: at,
    sequence: 1,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    ...overrides,
  };
}

describe('LocalSender', () => {
  it('puts messages in the resident mailbox and notices in the staff feed, under one sequence', async () => {
    const sender = new LocalSender();
    const message = item({
      messages: [
        { type: 'text', text: 'こんにちは' },
        {
          type: 'text',
          text: '選んでください',
          quickReplies: [{ kind: 'choice', label: 'はい', data: 'c:yes' }],
        },
      ],
    });
    expect(await sender.send(message, at)).toEqual({ kind: 'sent' });
    const notice = item({ address: 'case:c1', notice: { kind: 'alert', caseId: 'c1' } });
    expect(await sender.send(notice, at)).toEqual({ kind: 'sent' });

    const mailbox = sender.messagesAfter('resident-1', 0);
    expect(mailbox.entries).toEqual([
      { sequence: 1, at: at.toISOString(), from: 'bot', text: 'こんにちは', quickReplies: [] },
      {
        sequence: 2,
        at: at.toISOString(),
        from: 'bot',
        text: '選んでください',
        quickReplies: [{ kind: 'choice', label: 'はい', data: 'c:yes' }],
      },
    ]);
    expect(sender.messagesAfter('resident-1', 1).entries.map((e) => e.sequence)).toEqual([2]);
    expect(sender.feedAfter(0)).toEqual({
      epoch: sender.epoch,
      latest: 3,
      entries: [
        {
          sequence: 3,
          at: at.toISOString(),
          caseId: 'c1',
          kind: 'notice',
          notice: { kind: 'alert', caseId: 'c1' },
        },
      ],
    });
    expect(sender.messagesAfter('someone-else', 0).entries).toEqual([]);
  });

  it('delivers an outbox item only once, even when the outbox sends it again after a crash', async () => {
    const sender = new LocalSender();
    const again = item({ messages: [{ type: 'text', text: 'once' }] });
    await sender.send(again, at);
    expect(await sender.send(again, at)).toEqual({ kind: 'sent' });
    expect(sender.messagesAfter('resident-1', 0).entries).toHaveLength(1);
  });

  it('refuses a case address without a notice: a bug, never retried', async () => {
    const sender = new LocalSender();
    const result = await sender.send(
      item({ address: 'case:c1', messages: [{ type: 'text', text: 'x' }] }),
      at,
    );
    expect(result.kind).toBe('failed');
  });

  it('keeps mailboxes, the feed and the number of residents bounded', async () => {
    const sender = new LocalSender({ maxPerMailbox: 3, maxFeed: 2, maxMailboxes: 2 });
    for (let i = 0; i < 5; i++) await sender.send(item({ messages: [{ type: 'text', text: `m${i}` }] }), at);
    expect(
      sender.messagesAfter('resident-1', 0).entries.map((e) => (e.from === 'bot' ? e.text : '')),
    ).toEqual(['m2', 'm3', 'm4']);
    for (let i = 0; i < 3; i++)
      sender.recordStaffReply('c1', { staffId: 'staff-a', text: `r${i}`, replyId: `r${i}` }, at);
    expect(sender.feedAfter(0).entries.map((e) => (e.kind === 'reply' ? e.text : ''))).toEqual(['r1', 'r2']);
    sender.recordResident('resident-2', { type: 'follow' }, at);
    sender.recordResident('resident-3', { type: 'follow' }, at);
    expect(sender.residents()).toEqual(['resident-3', 'resident-2']);
  });

  it('finds the label of the button a resident tapped, from the newest message that offered it', async () => {
    const sender = new LocalSender();
    await sender.send(
      item({
        messages: [
          {
            type: 'text',
            text: 'q',
            quickReplies: [
              { kind: 'choice', label: 'Yes', data: 'c:1', displayText: 'Yes, please' },
              { kind: 'call', label: '119', phone: '119' },
            ],
          },
        ],
      }),
      at,
    );
    expect(sender.choiceLabel('resident-1', 'c:1')).toBe('Yes, please');
    expect(sender.choiceLabel('resident-1', 'c:2')).toBeUndefined();
  });

  it('shows "typing" until the answer arrives', async () => {
    const sender = new LocalSender();
    await sender.showTyping('resident-1', 10);
    expect(sender.messagesAfter('resident-1', 0).typing).toBe(true);
    await sender.send(item({ messages: [{ type: 'text', text: 'answer' }] }), at);
    expect(sender.messagesAfter('resident-1', 0).typing).toBe(false);
  });

  it('has a new epoch per process, so a page with an old cursor starts over', () => {
    expect(new LocalSender().epoch).not.toBe(new LocalSender().epoch);
  });
});
