import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseView, FeedEntryView } from '../../../src/channels/local/staff-pane-view.js';
import { extractPdfText } from '../../support/pdf-text.js';
import { createPlaygroundApp, type PlaygroundApp } from './playground-app.js';
import { PlaygroundResident } from './playground-resident.js';

const OWN_WORDS = 'ベランダにごみ袋が積み上がっていて、住んでいる方の姿を最近見ません';

describe('つなぐシート in the playground', () => {
  let pg: PlaygroundApp;
  beforeEach(async () => {
    pg = await createPlaygroundApp();
  });
  afterEach(async () => {
    await pg.stop();
  });

  async function neighbourCase(): Promise<CaseView> {
    const r = new PlaygroundResident(pg.app, () => pg.settle(), 'resident-1');
    await r.follow();
    await r.tapOption('welcome', 'menu', 'neighbour');
    await r.tapOption('intake-neighbour', 'observed', 'rubbish');
    await r.choose({ kind: 'done', flow: 'intake-neighbour', step: 'observed' });
    await r.say(OWN_WORDS);
    await r.choose({ kind: 'skip', flow: 'intake-neighbour', step: 'location' });
    await r.tapOption('intake-neighbour', 'contactable', 'none');
    await r.tapOption('intake-neighbour', 'confirm', 'send');
    const view = (await request(pg.app).get('/playground/api/cases')).body.cases[0] as CaseView | undefined;
    if (!view) throw new Error('no case');
    return view;
  }

  it('staff ask for a sheet; the thread links a PDF and Markdown built from the case, without the report', async () => {
    const view = await neighbourCase();
    await request(pg.app)
      .post(`/playground/api/cases/${view.id}/accept`)
      .send({ staffId: 'staff-a' })
      .expect(200);
    const asked = await request(pg.app)
      .post(`/playground/api/cases/${view.id}/handover-sheet`)
      .send({ staffId: 'staff-a', windowId: 'takikan-kyodo', consent: true });
    // A neighbour's report cannot carry consent: the 支援会議 variant.
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ kind: 'requested', consent: false });
    await pg.settle();

    const feed = (await request(pg.app).get('/playground/api/staff/feed?after=0')).body
      .entries as FeedEntryView[];
    const note = feed.map((e) => e.note).find((n) => n?.type === 'handover-sheet');
    if (note?.type !== 'handover-sheet') throw new Error('no sheet in the thread');
    expect(note.consent).toBe(false);

    const pdf = await request(pg.app)
      .get(note.pdfUrl)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = (await extractPdfText(pdf.body as Buffer)).replace(/\s/g, '');
    expect(text).toContain(view.number);
    expect(text).toContain('支援会議');
    expect(text).not.toContain('ベランダ');

    const markdown = await request(pg.app).get(note.markdownUrl);
    expect(markdown.headers['content-type']).toContain('text/markdown');
    expect(markdown.text).toContain(`（${view.number}）`);
    expect(markdown.text).not.toContain('ベランダ');

    const audit = await pg.store.audit.listForCase(view.id);
    expect(audit.filter((e) => e.action === 'case.handover-sheet')).toHaveLength(1);
  });

  it('staff ask the resident in the chat; their yes produces the consented sheet, once', async () => {
    const r = new PlaygroundResident(pg.app, () => pg.settle(), 'resident-2');
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.tapOption('intake-self', 'who', 'self');
    await r.tapOption('intake-self', 'fields', 'children');
    await r.choose({ kind: 'done', flow: 'intake-self', step: 'fields' });
    await r.choose({ kind: 'skip', flow: 'intake-self', step: 'words' });
    await r.tapOption('intake-self', 'urgency', 'soon');
    await r.tapOption('intake-self', 'contact', 'phone');
    await r.say('090-1234-5678');
    await r.choose({ kind: 'skip', flow: 'intake-self', step: 'area' });
    await r.tapOption('intake-self', 'confirm', 'send');
    const view = (await request(pg.app).get('/playground/api/cases')).body.cases[0] as CaseView;
    await request(pg.app)
      .post(`/playground/api/cases/${view.id}/accept`)
      .send({ staffId: 'staff-a' })
      .expect(200);

    const windows = (await request(pg.app).get('/playground/api/windows')).body.windows as Array<{
      id: string;
      name: string;
    }>;
    const window = windows.find((w) => w.id === 'kosodate-sogo')?.name ?? '';
    const asked = await request(pg.app)
      .post(`/playground/api/cases/${view.id}/handover-sheet`)
      .send({ staffId: 'staff-a', windowId: 'kosodate-sogo', ask: true });
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ kind: 'asked' });
    await pg.settle();
    r.last = await r.read();
    expect(r.said('handover.ask.question', { window })).toBe(true);

    const consent = { kind: 'consent', caseId: view.id, window: 'kosodate-sogo' } as const;
    const buttons = r.buttons();
    await r.choose({ ...consent, answer: 'yes' });
    expect(r.said('handover.ask.thanks-yes', { window })).toBe(true);
    // The question's buttons, tapped again: nothing more happens.
    r.last = [{ ...r.last[0], from: 'bot', text: '', quickReplies: buttons } as (typeof r.last)[number]];
    await r.choose({ ...consent, answer: 'no' });
    expect(r.said('handover.ask.already')).toBe(true);

    const feed = (await request(pg.app).get('/playground/api/staff/feed?after=0')).body
      .entries as FeedEntryView[];
    const notes = feed.flatMap((e) => (e.caseId === view.id && e.note ? [e.note] : []));
    expect(notes.filter((n) => n.type === 'consent-asked')).toHaveLength(1);
    const sheets = notes.filter((n) => n.type === 'handover-sheet');
    expect(sheets).toEqual([expect.objectContaining({ consent: true })]);

    // Asking again is refused: the answer stands.
    const again = await request(pg.app)
      .post(`/playground/api/cases/${view.id}/handover-sheet`)
      .send({ staffId: 'staff-a', windowId: 'kosodate-sogo', ask: true });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ kind: 'already-answered', answer: 'yes' });
  });

  it('a neighbour report cannot be asked: a clear refusal, nothing sent', async () => {
    const view = await neighbourCase();
    const asked = await request(pg.app)
      .post(`/playground/api/cases/${view.id}/handover-sheet`)
      .send({ staffId: 'staff-a', windowId: 'takikan-kyodo', ask: true });
    expect(asked.status).toBe(409);
    expect(asked.body).toEqual({ kind: 'cannot-ask' });
    const audit = await pg.store.audit.listForCase(view.id);
    expect(audit.filter((e) => e.action.startsWith('case.handover'))).toEqual([]);
  });

  it('refuses a request naming no known window, or no staff, with a clear error', async () => {
    const view = await neighbourCase();
    const unknown = await request(pg.app)
      .post(`/playground/api/cases/${view.id}/handover-sheet`)
      .send({ staffId: 'staff-a', windowId: 'nowhere' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ kind: 'unknown-window' });
    const invalid = await request(pg.app)
      .post(`/playground/api/cases/${view.id}/handover-sheet`)
      .send({ windowId: 'takikan-kyodo' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details[0].path).toBe('body.staffId');
  });
});
