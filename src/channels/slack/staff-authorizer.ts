import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { Logger } from '../../logger.js';
import { callSlack } from './slack-call-error.js';
import type { SlackWebClient } from './slack-web-client.js';

/** Who may act on cases from the staff channel. Every action and every relayed reply asks first. */
export interface StaffAuthorizer {
  /** May this person accept, reroute, reply to and close the cases of this window? */
  canAct(userId: string, windowId: string): Promise<boolean>;
  /** A supervisor may close a case someone else owns. */
  isSupervisor(userId: string): Promise<boolean>;
}

export interface SlackStaffAuthorizerOptions {
  client: SlackWebClient;
  config: MunicipalityConfig;
  /** SLACK_HANDOFF_CHANNEL: the channel of windows that have none of their own. */
  fallbackChannel: string | undefined;
  logger: Logger;
  now?: () => Date;
  /** How long a member list is trusted; membership changes are seen after at most this long. */
  cacheMs?: number;
}

/** conversations.members pages; a channel larger than this many pages is refused rather than half-read. */
const MAX_PAGES = 50;
const PAGE_SIZE = 200;

/**
 * Authorises staff by Slack membership: the configured staff user group when there is one, else the
 * members of the window's channel; supervisors are the members of the supervisor channel. Member
 * lists are cached for a few minutes. Any failure to find out means "no" (fail closed), and is logged.
 */
export class SlackStaffAuthorizer implements StaffAuthorizer {
  private readonly cache = new Map<string, { until: number; members: Promise<Set<string>> }>();
  private readonly now: () => Date;
  private readonly cacheMs: number;
  private readonly log: Logger;

  constructor(private readonly options: SlackStaffAuthorizerOptions) {
    this.now = options.now ?? (() => new Date());
    this.cacheMs = options.cacheMs ?? 5 * 60_000;
    this.log = options.logger.child({ component: 'staff-authorizer' });
  }

  async canAct(userId: string, windowId: string): Promise<boolean> {
    const { config, fallbackChannel } = this.options;
    const group = config.escalation.staffUserGroup;
    if (group) return this.isMember(`usergroup:${group}`, userId);
    const channel = config.windows.find((w) => w.id === windowId)?.slackChannel ?? fallbackChannel;
    if (!channel) {
      this.log.warn({ windowId }, 'no staff user group and no channel for this window: nobody is authorised');
      return false;
    }
    return this.isMember(`channel:${channel}`, userId);
  }

  async isSupervisor(userId: string): Promise<boolean> {
    const channel = this.options.config.escalation.supervisorChannel;
    return channel ? this.isMember(`channel:${channel}`, userId) : false;
  }

  private async isMember(source: string, userId: string): Promise<boolean> {
    try {
      return (await this.members(source)).has(userId);
    } catch (error) {
      this.log.error({ err: error, source }, 'staff membership could not be checked: refusing');
      return false;
    }
  }

  private members(source: string): Promise<Set<string>> {
    const at = this.now().getTime();
    const cached = this.cache.get(source);
    if (cached && cached.until > at) return cached.members;
    const members = this.fetch(source);
    this.cache.set(source, { until: at + this.cacheMs, members });
    // A failed look-up is not remembered: the next action asks Slack again.
    members.catch(() => {
      if (this.cache.get(source)?.members === members) this.cache.delete(source);
    });
    return members;
  }

  private async fetch(source: string): Promise<Set<string>> {
    const { client } = this.options;
    const [kind, id] = source.split(':') as [string, string];
    if (kind === 'usergroup') {
      const answer = await callSlack('usergroups.users.list', () =>
        client.usergroups.users.list({ usergroup: id }),
      );
      return new Set(answer.users ?? []);
    }
    const members = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await callSlack('conversations.members', () =>
        client.conversations.members({ channel: id, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
      );
      for (const member of answer.members ?? []) members.add(member);
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!cursor) return members;
    }
    throw new Error(`conversations.members: ${id} has more than ${MAX_PAGES * PAGE_SIZE} members`);
  }
}
