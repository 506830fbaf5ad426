import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseQuery } from 'node:querystring';
import nock from 'nock';
import { createSlackWebClient, type SlackWebClient } from '../../../src/channels/slack/slack-web-client.js';
import { StaffText } from '../../../src/channels/slack/staff-text.js';
import { loadConfig, projectRoot } from '../../../src/config.js';
import { CaseActions } from '../../../src/core/cases/case-actions.js';
import { CaseAudit } from '../../../src/core/cases/case-audit.js';
import { EscalationTimers } from '../../../src/core/cases/escalation-timers.js';
import type { MunicipalityConfig } from '../../../src/core/municipality/municipality-config-schema.js';
import { Outbox } from '../../../src/core/outbox.js';
import type { CaseRecord, NewCase, Store } from '../../../src/core/ports/store.js';
import { type ConversationContent, loadConversationContent } from '../../../src/load-conversation-content.js';
import { silentLogger } from '../../support/silent-logger.js';

export const SLACK_ORIGIN = 'https://slack.test';
export const API_URL = `${SLACK_ORIGIN}/api/`;
export const BOT_TOKEN = 'xoxb-test-token';
export const SIGNING_SECRET = 'test-signing-secret';
export const FALLBACK_CHANNEL = 'C0FALLBACK1';
/** The example city's ids (config/municipality.example.yaml). */
export const NORTH_CHANNEL = 'C0000000001';
export const DISABILITY_CHANNEL = 'C0000000004';
export const SUPERVISOR_CHANNEL = 'C0000000010';
export const ON_CALL_GROUP = 'S0000000001';
export const STAFF_GROUP = 'S0000000002';
export const RESIDENT = 'Ub3f7c91e2d4a6b8c0e2f4a6b8c0d2e4f';
export const CASE_ID = '6a1f0c52-5d7e-5b1a-9c3e-2f4d6b8a0c1e';
export const ALERT_TS = '1747015200.000100';

export const content: ConversationContent = loadConversationContent(
  projectRoot,
  loadConfig({}).municipalityConfigPath,
);
export const municipality: MunicipalityConfig = content.municipality;
export const staffText = new StaffText(content.translator, municipality);
export const ja = staffText.t;

/** `timeoutMs`: each call's deadline (a shorter one lets a test make Slack answer too late). */
export function slackClient(timeoutMs = 5_000): SlackWebClient {
  return createSlackWebClient({
    botToken: BOT_TOKEN,
    apiUrl: API_URL,
    timeoutMs,
    logger: silentLogger,
  });
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/slack/${name}.json`, import.meta.url), 'utf8');
}

/** Slack's request signature: v0 HMAC-SHA256 over `v0:<timestamp>:<raw body>`. */
export function slackSignature(rawBody: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SlackCall {
  method: string;
  /** The form fields as sent; `blocks` parsed back from its JSON. */
  body: Record<string, unknown>;
  /** The request body exactly as it went over the wire (decoded), for "never contains" checks. */
  raw: string;
}

/**
 * The Web API at nock's boundary: every expected call is declared with its answer, and recorded with
 * its decoded body. Nothing undeclared gets through (setup-network disables the network).
 */
export class SlackApi {
  readonly calls: SlackCall[] = [];
  readonly scope = nock(SLACK_ORIGIN);

  on(
    method: string,
    answer: Record<string, unknown> | ((body: Record<string, unknown>) => Record<string, unknown>) = {},
    options: { times?: number; status?: number; headers?: Record<string, string>; delayMs?: number } = {},
  ): this {
    this.scope
      .post(`/api/${method}`)
      .times(options.times ?? 1)
      .delay(options.delayMs ?? 0)
      .reply((_uri, requestBody) => {
        const raw = typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody);
        const body = decode(requestBody);
        this.calls.push({ method, body, raw: decodeURIComponent(raw.replace(/\+/g, ' ')) });
        const reply = typeof answer === 'function' ? answer(body) : answer;
        return [
          options.status ?? 200,
          options.status && options.status !== 200 ? '' : { ok: true, ...reply },
          options.headers ?? {},
        ];
      });
    return this;
  }

  fail(method: string, error: string): this {
    this.scope.post(`/api/${method}`).reply(200, { ok: false, error });
    return this;
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  done(): void {
    this.scope.done();
  }
}

function decode(requestBody: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> =
    typeof requestBody === 'string'
      ? { ...parseQuery(requestBody) }
      : { ...(requestBody as Record<string, unknown>) };
  for (const key of ['blocks', 'view']) {
    if (typeof fields[key] === 'string') fields[key] = JSON.parse(fields[key] as string);
  }
  return fields;
}

/** Every text object in a block tree, with its type: where resident text ended up. */
export function textObjects(value: unknown): Array<{ type: string; text: string }> {
  const found: Array<{ type: string; text: string }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if ((o.type === 'plain_text' || o.type === 'mrkdwn') && typeof o.text === 'string')
        found.push({ type: o.type, text: o.text });
      Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return found;
}

export function newCase(overrides: Partial<NewCase> = {}): NewCase {
  return {
    id: CASE_ID,
    residentKey: `line:${RESIDENT}`,
    channel: 'line',
    origin: 'self',
    anonymous: true,
    windowId: 'houkatsu-north',
    fields: ['elderly'],
    patterns: [],
    urgent: false,
    language: 'ja',
    answers: { subject: 'self', fields: ['elderly'], urgency: 'soon', contact: 'line' },
    createdAt: new Date('2026-05-12T01:42:00.000Z'),
    ...overrides,
  };
}

/** A case as the store keeps it, optionally already posted (staffThread) and taken. */
export async function storedCase(
  store: Store,
  overrides: Partial<NewCase> = {},
  state: { staffThread?: { channel: string; ts: string }; assignee?: string; at?: Date } = {},
): Promise<CaseRecord> {
  const at = state.at ?? new Date('2026-05-12T01:50:00.000Z');
  let record = await store.cases.create(newCase(overrides));
  if (state.staffThread)
    record = (await store.cases.amend(record.id, { staffThread: state.staffThread }, at)) ?? record;
  if (state.assignee) {
    record =
      (await store.cases.transition(
        record.id,
        ['pending'],
        { status: 'assigned', assignee: state.assignee, acceptedAt: at },
        at,
      )) ?? record;
  }
  return record;
}

/** The core's staff side over one store and clock, as the service wires it for Slack. */
export function slackStaffCore(store: Store, now: () => Date) {
  const outbox = new Outbox(store.outbox, now);
  const audit = new CaseAudit(store.audit, 5, now);
  const escalation = new EscalationTimers(
    store.timers,
    store.cases,
    municipality,
    outbox,
    'slack',
    audit,
    silentLogger,
    now,
  );
  const actions = new CaseActions(
    store.cases,
    outbox,
    'slack',
    escalation,
    audit,
    municipality,
    content.translator,
    now,
  );
  return { outbox, audit, escalation, actions };
}
