import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { createPlaygroundApp, type PlaygroundApp } from '../channels/local/playground-app.js';
import { extractPdfText } from '../support/pdf-text.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SCREENSHOT = path.join(projectRoot, 'test-results', 'playground.png');
// Resident text with markup in it: it must show as text, never become elements.
const OBSERVATION = '<b>ベランダ</b>にごみ袋が積み上がっていて、住んでいる方の姿を最近見ません';
const LATER = '夜になると物音がします';
const REPLY = 'ご連絡ありがとうございます。担当の相談員が今日中に様子を見に行きます。';
const TALK = '仕事も家もなくなって、どこにも行けない';
const CRISIS_REPLY = '読みました。相談員の田中です。いま、どこにいますか。';
const WATCH_OBSERVATION = '玄関の前にごみ袋がたまっています';

if (!hasChromium) {
  console.warn(`playground e2e skipped: ${CHROMIUM} is missing (scripts/install-chromium.sh installs it)`);
}

describe.skipIf(!hasChromium)('the playground in a real browser (Debian chromium)', () => {
  let pg: PlaygroundApp;
  let server: Server;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    pg = await createPlaygroundApp({ pollIntervalMs: 250 });
    pg.start();
    server = await new Promise<Server>((resolve) => {
      const listening = pg.app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Playwright gives the browser a fresh, empty profile of its own (no --user-data-dir here).
      // The closed network refuses Chromium's own background connections; these flags keep it quiet.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await pg?.stop();
  });

  const quickReply = (page: Page, label: string) =>
    page.locator('#quick-replies .quick-reply', { hasText: label }).first();
  const chat = (page: Page) => page.locator('#chat-log');

  /**
   * A fresh page on the playground, ready to use, with the page errors it raises (and, when asked,
   * the requests the service refused) collected for the test's last check.
   */
  async function openPlayground(options: { countRefusedRequests: boolean }) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'ja-JP' });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    if (options.countRefusedRequests)
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    return { page, problems };
  }

  /** Adds a resident and waits for the city's greeting to offer its first quick replies. */
  async function addResident(page: Page): Promise<void> {
    await page.click('#add-resident');
    await quickReply(page, '近所・知人の心配').waitFor();
  }

  it('walks a neighbour report to an accepted case and a staff reply reaching the resident', async () => {
    const { page, problems } = await openPlayground({ countRefusedRequests: true });
    await expect.poll(() => page.title()).toBe('madoguchi 練習場');

    // The resident: a new friend of the city's account, reporting a worry about a neighbour.
    await quickReply(page, '近所・知人の心配').click();
    await quickReply(page, 'ごみがたまっている').click();
    await quickReply(page, '✓ ごみがたまっている').waitFor();
    // The quick replies shorten the chat log; the newest message is still scrolled fully into view.
    await expect
      .poll(() => chat(page).evaluate((log) => log.scrollHeight - log.scrollTop - log.clientHeight))
      .toBeLessThanOrEqual(1);
    await quickReply(page, 'これで決定').click();
    await chat(page).getByText('気づいたことを', { exact: false }).waitFor();
    await page.fill('#composer-input', OBSERVATION);
    await page.press('#composer-input', 'Enter');
    await chat(page).getByText('だいたいの場所', { exact: false }).waitFor();
    await quickReply(page, 'とばす').click();
    await quickReply(page, '名乗らない').click();
    await quickReply(page, '伝える').click();
    await chat(page).getByText('受付番号は', { exact: false }).waitFor();
    await expect.poll(() => page.locator('#chat-log b').count()).toBe(0);
    await chat(page).locator('.bubble.resident', { hasText: OBSERVATION }).waitFor();

    // The staff pane: the alert arrives without the resident's words; 担当する shows them in the thread.
    const alert = page.locator('#channel-log article[data-case]').first();
    await alert.waitFor();
    await expect.poll(() => alert.textContent()).toContain('未対応');
    expect(await alert.textContent()).not.toContain('ベランダ');
    // The resident writes again while nobody has the case: staff see that they did, not what.
    await page.fill('#composer-input', LATER);
    await page.press('#composer-input', 'Enter');
    await alert.locator('.thread-line[data-note="resident-message"]').waitFor();
    expect(await alert.textContent()).not.toContain(LATER);

    await alert.locator('button[data-action="accept"]').click();
    await alert.locator('.thread blockquote', { hasText: OBSERVATION }).waitFor();
    await alert.locator('.thread blockquote', { hasText: LATER }).waitFor();
    await expect.poll(() => alert.textContent()).toContain('担当: 相談員A');
    await chat(page).getByText('担当', { exact: false }).first().waitFor();

    // 住民に返信: the words reach the resident's chat, and the thread marks the delivery.
    await alert.locator('button[data-action="reply"]').click();
    await alert.locator('.slack-form textarea').fill(REPLY);
    await alert.locator('.slack-form button[data-action="submit"]').click();
    await chat(page).locator('.bubble.bot', { hasText: REPLY }).waitFor();
    await alert.locator('.delivery.ok').waitFor();

    const [record] = await pg.store.cases.listByStatus('assigned', 1);
    expect(record).toMatchObject({ origin: 'neighbour', anonymous: true, assignee: 'staff-a' });

    // つなぐシート: a neighbour's report gets the 支援会議 sheet; its PDF has none of the report's words.
    await alert.locator('button[data-action="handover"]').click();
    expect(await alert.locator('.slack-form input[data-field="consent"]').count()).toBe(0);
    await alert.locator('.slack-form button[data-action="submit"]').click();
    const sheetLink = alert.locator('.thread-line[data-note="handover-sheet"] a[data-sheet="pdf"]');
    await sheetLink.waitFor();
    await sheetLink.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), 'playground-handover.png') });
    const sheet = await page.request.get(
      new URL((await sheetLink.getAttribute('href')) ?? '', url).toString(),
    );
    expect(sheet.headers()['content-type']).toContain('application/pdf');
    const sheetText = (await extractPdfText(await sheet.body())).replace(/\s/g, '');
    expect(sheetText).toContain('支援会議');
    expect(sheetText).toContain(record?.number);
    expect(sheetText).not.toContain('ベランダ');
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    writeFileSync(path.join(path.dirname(SCREENSHOT), 'handover-sheet.pdf'), await sheet.body());

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('walks a crisis into talk mode: the words reach the urgent case, staff accept and reply', async () => {
    const { page, problems } = await openPlayground({ countRefusedRequests: false });
    await addResident(page);

    // The alarm: the safety message, then a conversation rather than a form.
    await page.fill('#composer-input', '今から線路に飛び込む');
    await page.press('#composer-input', 'Enter');
    await chat(page).getByText('いま危険があるときは', { exact: false }).last().waitFor();
    await quickReply(page, 'ここで話を続ける').click();
    await chat(page).getByText('そのまま担当者に届きます', { exact: false }).waitFor();
    await page.fill('#composer-input', TALK);
    await page.press('#composer-input', 'Enter');
    await chat(page).locator('.bubble.resident', { hasText: TALK }).waitFor();
    expect(await chat(page).textContent()).not.toContain('どのくらい急ぎますか');

    // Staff: the urgent alert, the words behind 担当する, and a reply that reaches the resident.
    const alert = page.locator('#channel-log article[data-case]', { hasText: '危険の兆候' }).last();
    await alert.waitFor();
    await alert.locator('.thread-line[data-note="resident-message"]').waitFor();
    await alert.locator('button[data-action="accept"]').click();
    await alert.locator('.thread blockquote', { hasText: TALK }).waitFor();
    await alert.locator('button[data-action="reply"]').click();
    await alert.locator('.slack-form textarea').fill(CRISIS_REPLY);
    await alert.locator('.slack-form button[data-action="submit"]').click();
    await chat(page).locator('.bubble.bot', { hasText: CRISIS_REPLY }).waitFor();

    await page.screenshot({ path: path.join(projectRoot, 'test-results', 'playground-talk-mode.png') });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('takes the quick replies away as soon as the resident sends, as LINE does, and back if the send fails', async () => {
    const { page, problems } = await openPlayground({ countRefusedRequests: false });
    await addResident(page);

    // The message is held on its way: the greeting's quick replies must not stay tappable meanwhile.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/residents/*/events', async (route) => {
      await held;
      await route.continue();
    });
    await page.fill('#composer-input', '相談したいことがあります');
    await page.press('#composer-input', 'Enter');
    await expect.poll(() => page.locator('#quick-replies').isHidden()).toBe(true);
    expect(await page.locator('#quick-replies .quick-reply').count()).toBe(0);
    release();
    await chat(page).locator('.bubble.resident', { hasText: '相談したいことがあります' }).waitFor();
    await page.unroute('**/residents/*/events');

    // A send the service refuses leaves the question as it was, quick replies included.
    const before = await page.locator('#quick-replies .quick-reply').allTextContents();
    await page.route('**/residents/*/events', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"message":"unavailable"}' }),
    );
    await page.fill('#composer-input', 'もう一度');
    await page.press('#composer-input', 'Enter');
    await expect.poll(() => page.locator('#quick-replies .quick-reply').allTextContents()).toEqual(before);
    await page.unroute('**/residents/*/events');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('walks 見守り: staff offer it, the resident agrees, missed check-ins alert the staff pane', async () => {
    const { page, problems } = await openPlayground({ countRefusedRequests: true });
    await page.click('#add-resident');
    await quickReply(page, '近所・知人の心配').click();
    await quickReply(page, 'ごみがたまっている').click();
    await quickReply(page, 'これで決定').click();
    await chat(page).getByText('気づいたことを', { exact: false }).waitFor();
    await page.fill('#composer-input', WATCH_OBSERVATION);
    await page.press('#composer-input', 'Enter');
    await quickReply(page, 'とばす').click();
    await quickReply(page, '名乗らない').click();
    await quickReply(page, '伝える').click();
    await chat(page).getByText('受付番号は', { exact: false }).waitFor();

    // Staff: 見守りを始める on the case, with the defaults (every day, 2 misses alert).
    const alert = page.locator('#channel-log article[data-case]').last();
    await alert.locator('button[data-action="accept"]').click();
    await alert.locator('.thread blockquote', { hasText: WATCH_OBSERVATION }).waitFor();
    await alert.locator('button[data-action="watch"]').click();
    await alert.locator('.slack-form select[name="frequency"]').waitFor();
    await alert.locator('.slack-form button[data-action="submit"]').click();
    await alert.locator('.thread-line.watch-proposed').waitFor();

    // The resident is asked, and it starts only when they agree.
    await quickReply(page, 'はい、お願いします').click();
    await chat(page).getByText('見守りを始めます', { exact: false }).waitFor();
    await alert.locator('.thread-line.watch-agreed').waitFor();
    await page.screenshot({ path: path.join(projectRoot, 'test-results', 'playground-watch-offer.png') });

    // Practice clock: days go by; the check-ins arrive and stay unanswered until the window is alerted.
    const alarm = alert.locator('.thread-line.watch-alert');
    for (let day = 0; day < 6 && (await alarm.count()) === 0; day++) {
      await page.click('#practice-clock button[data-action="skip-day"]');
      await expect
        .poll(() => page.locator('#practice-clock button[data-action="skip-day"]').isDisabled())
        .toBe(false);
    }
    await alarm.waitFor();
    // The check-in's greeting varies by day (watch.check-in.greeting.1–3); its answers do not.
    await quickReply(page, '元気です').waitFor();
    expect(await quickReply(page, '元気です').count()).toBe(1);
    await alarm.locator('button[data-action="watch-outcome-visited"]').click();
    await alert.locator('.thread-line.watch-outcome').waitFor();
    await page.screenshot({ path: path.join(projectRoot, 'test-results', 'playground-watch-alert.png') });

    // The resident answers the next check-in: 元気です is thanked and recorded.
    await quickReply(page, '元気です').click();
    await chat(page).getByText('お返事ありがとうございます', { exact: false }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
