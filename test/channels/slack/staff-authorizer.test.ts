import { describe, expect, it } from 'vitest';
import { SlackStaffAuthorizer } from '../../../src/channels/slack/staff-authorizer.js';
import type { MunicipalityConfig } from '../../../src/core/municipality/municipality-config-schema.js';
import { FakeClock } from '../../support/fake-clock.js';
import { silentLogger } from '../../support/silent-logger.js';
import {
  FALLBACK_CHANNEL,
  municipality,
  NORTH_CHANNEL,
  SlackApi,
  STAFF_GROUP,
  SUPERVISOR_CHANNEL,
  slackClient,
} from './slack-test-support.js';

const withoutGroup: MunicipalityConfig = {
  ...municipality,
  escalation: { ...municipality.escalation, staffUserGroup: undefined },
};

function authorizer(config: MunicipalityConfig, clock = new FakeClock()) {
  return new SlackStaffAuthorizer({
    client: slackClient(),
    config,
    fallbackChannel: FALLBACK_CHANNEL,
    logger: silentLogger,
    now: clock.now,
  });
}

describe('SlackStaffAuthorizer', () => {
  it('uses the staff user group when one is configured, and caches it for a few minutes', async () => {
    const api = new SlackApi().on('usergroups.users.list', { users: ['U0STAFF1', 'U0STAFF2'] }, { times: 2 });
    const clock = new FakeClock();
    const auth = authorizer(municipality, clock);

    expect(await auth.canAct('U0STAFF1', 'houkatsu-north')).toBe(true);
    expect(await auth.canAct('U0OUTSIDER', 'shogai-soudan')).toBe(false);
    expect(api.callsTo('usergroups.users.list')).toHaveLength(1);
    expect(api.calls[0]?.body.usergroup).toBe(STAFF_GROUP);

    clock.advance(6 * 60_000);
    expect(await auth.canAct('U0STAFF2', 'houkatsu-north')).toBe(true);
    expect(api.callsTo('usergroups.users.list')).toHaveLength(2);
  });

  it('without a user group, uses the members of the window channel, every page', async () => {
    const api = new SlackApi()
      .on('conversations.members', { members: ['U0A'], response_metadata: { next_cursor: 'dXNlcjpVMEI=' } })
      .on('conversations.members', { members: ['U0B'], response_metadata: { next_cursor: '' } });
    const auth = authorizer(withoutGroup);

    expect(await auth.canAct('U0B', 'houkatsu-north')).toBe(true);
    expect(await auth.canAct('U0A', 'houkatsu-north')).toBe(true);
    expect(api.calls.map((c) => [c.body.channel, c.body.cursor])).toEqual([
      [NORTH_CHANNEL, undefined],
      [NORTH_CHANNEL, 'dXNlcjpVMEI='],
    ]);
  });

  it('supervisors are the members of the supervisor channel', async () => {
    const api = new SlackApi().on('conversations.members', { members: ['U0BOSS'] });
    const auth = authorizer(municipality);

    expect(await auth.isSupervisor('U0BOSS')).toBe(true);
    expect(await auth.isSupervisor('U0STAFF1')).toBe(false);
    expect(api.calls[0]?.body.channel).toBe(SUPERVISOR_CHANNEL);
  });

  it('fails closed on an API error, and asks again next time', async () => {
    const api = new SlackApi()
      .fail('usergroups.users.list', 'missing_scope')
      .on('usergroups.users.list', { users: ['U0STAFF1'] });
    const auth = authorizer(municipality);

    expect(await auth.canAct('U0STAFF1', 'houkatsu-north')).toBe(false);
    expect(await auth.canAct('U0STAFF1', 'houkatsu-north')).toBe(true);
    api.done();
  });

  it('nobody is a supervisor when no supervisor channel is configured', async () => {
    const config = {
      ...municipality,
      escalation: { ...municipality.escalation, supervisorChannel: undefined },
    };
    expect(await authorizer(config).isSupervisor('U0BOSS')).toBe(false);
  });
});
