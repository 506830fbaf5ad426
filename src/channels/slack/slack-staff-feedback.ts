import type { ReplyResult } from '../../core/cases/case-actions.js';
import type { CaseAudit } from '../../core/cases/case-audit.js';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { StaffRef } from '../../core/ports/staff-notice.js';
import type { CaseRecord } from '../../core/ports/store.js';
import type { Logger } from '../../logger.js';
import type { SlackWebClient } from './slack-web-client.js';
import type { StaffText } from './staff-text.js';

/** Where an ephemeral answer to one staff member goes. */
export interface StaffSpot {
  user: string;
  channel?: string | undefined;
  threadTs?: string | undefined;
}

/**
 * Tells one staff member something only they see (a refusal, "already taken"). Best effort: a
 * failure is logged, never thrown, since the action it answers has already been decided.
 */
export async function tellStaff(
  client: SlackWebClient,
  spot: StaffSpot,
  text: string,
  logger: Logger,
): Promise<void> {
  if (!spot.channel) {
    logger.warn('no channel to answer the staff member in');
    return;
  }
  try {
    await client.chat.postEphemeral({
      channel: spot.channel,
      user: spot.user,
      text,
      ...(spot.threadTs ? { thread_ts: spot.threadTs } : {}),
    });
  } catch (error) {
    const code = (error as { data?: { error?: unknown } }).data?.error;
    logger.warn(
      { error: typeof code === 'string' ? code : String(error) },
      'slack.chat.postEphemeral failed',
    );
  }
}

/**
 * Who is acting. Their name is looked up only when the city lets residents see it; otherwise the
 * core gets the Slack id alone.
 */
export async function staffRefOf(
  client: SlackWebClient,
  userId: string,
  config: MunicipalityConfig,
  logger: Logger,
): Promise<StaffRef> {
  if (!config.staff.showStaffNameToResident) return { id: userId };
  try {
    const answer = await client.users.info({ user: userId });
    const profile = answer.user?.profile;
    const name = profile?.display_name || profile?.real_name || answer.user?.real_name || undefined;
    return { id: userId, displayName: name };
  } catch (error) {
    const code = (error as { data?: { error?: unknown } }).data?.error;
    logger.warn(
      { error: typeof code === 'string' ? code : String(error) },
      'slack.users.info failed; acting without a name',
    );
    return { id: userId };
  }
}

/** The refusal an unauthorised person sees, recorded in the audit log (ids only). */
export async function refuse(
  deps: { client: SlackWebClient; text: StaffText; logger: Logger; audit?: CaseAudit | undefined },
  spot: StaffSpot,
  record: CaseRecord,
  action: string,
): Promise<void> {
  deps.logger.warn({ caseNumber: record.number, action }, 'staff action refused: not authorised');
  await deps.audit?.record('case.action-unauthorised', { kind: 'staff', id: spot.user }, record, { action });
  await tellStaff(deps.client, spot, deps.text.t('staff.ephemeral.not-authorised'), deps.logger);
}

/** Why a reply was not sent, in words for the staff member who wrote it. */
export function replyRefusal(text: StaffText, result: Exclude<ReplyResult, { kind: 'queued' }>): string {
  return result.kind === 'too-long'
    ? text.t('staff.ephemeral.reply.too-long', { limit: result.limit })
    : text.t(`staff.ephemeral.reply.${result.kind}`);
}
