import { encodeChoice } from '../conversation/choice-data.js';
import type { OutgoingMessage, QuickReply } from '../ports/outgoing-message.js';
import type { CheckInRecord, WatchPlan, WatchRecord } from '../ports/store.js';
import type { Translate } from '../ports/translator.js';

/** How many ways the check-in greets (watch.check-in.greeting.1 …): it should not feel automated. */
export const GREETING_VARIANTS = 4;

const choice = (t: Translate, label: string, data: Parameters<typeof encodeChoice>[0]): QuickReply => ({
  kind: 'choice',
  label: t(label),
  data: encodeChoice(data),
  displayText: t(label),
});

/** "毎日 10:00" / "月曜・水曜 10:00" / "3日ごと 10:00", in the resident's language. */
export function describePlan(plan: WatchPlan, t: Translate): string {
  const f = plan.frequency;
  const how =
    f.kind === 'daily'
      ? t('watch.plan.daily')
      : f.kind === 'weekdays'
        ? t('watch.plan.weekdays', { days: f.days.map((d) => t(`time.weekday.${d}`)).join('・') })
        : t('watch.plan.every', { days: f.days });
  return t('watch.plan.summary', { how, time: plan.slot, days: plan.durationDays });
}

/** Asking the resident whether they want it: nothing starts until they say yes. */
export function consentMessage(watch: WatchRecord, t: Translate): OutgoingMessage {
  return {
    type: 'text',
    text: t('watch.consent.question', { plan: describePlan(watch.plan, t) }),
    quickReplies: [
      choice(t, 'watch.consent.yes', { kind: 'watch', verb: 'agree', ref: watch.id }),
      choice(t, 'watch.consent.no', { kind: 'watch', verb: 'decline', ref: watch.id }),
    ],
  };
}

/** The check-in itself: a greeting that varies a little, three answers, and the ways out. */
export function checkInMessage(watch: WatchRecord, checkIn: CheckInRecord, t: Translate): OutgoingMessage {
  const variant = (Math.floor(checkIn.dueAt.getTime() / 86_400_000) % GREETING_VARIANTS) + 1;
  return {
    type: 'text',
    text: t(`watch.check-in.greeting.${variant}`),
    quickReplies: [
      choice(t, 'watch.check-in.fine', { kind: 'watch', verb: 'fine', ref: checkIn.id }),
      choice(t, 'watch.check-in.worried', { kind: 'watch', verb: 'worried', ref: checkIn.id }),
      choice(t, 'watch.check-in.talk', { kind: 'watch', verb: 'talk', ref: checkIn.id }),
      ...manageChoices(watch, t),
    ],
  };
}

/** しばらくお休み / 時間を変える / 見守りをやめる (and 再開する while paused); in the menu, the watcher too. */
export function manageChoices(watch: WatchRecord, t: Translate, now?: Date): QuickReply[] {
  const paused = now !== undefined && watch.pausedUntil !== undefined && watch.pausedUntil > now;
  const inMenu = now !== undefined;
  const watcher = watch.watcherKey
    ? choice(t, 'watch.manage.unlink', { kind: 'watch', verb: 'unlink', ref: watch.id })
    : choice(t, 'watch.manage.invite', { kind: 'watch', verb: 'invite', ref: watch.id });
  return [
    paused
      ? choice(t, 'watch.manage.resume', { kind: 'watch', verb: 'resume', ref: watch.id })
      : choice(t, 'watch.manage.pause', { kind: 'watch', verb: 'pause', ref: watch.id }),
    choice(t, 'watch.manage.time', { kind: 'watch', verb: 'time', ref: watch.id }),
    choice(t, 'watch.manage.stop', { kind: 'watch', verb: 'stop', ref: watch.id }),
    ...(inMenu ? [watcher] : []),
  ];
}

/** The city's slots to choose a new time from. */
export function slotChoices(watch: WatchRecord, slots: readonly string[]): QuickReply[] {
  return slots.map((slot, index) => ({
    kind: 'choice',
    label: slot,
    data: encodeChoice({ kind: 'watch', verb: `slot-${index}`, ref: watch.id }),
    displayText: slot,
  }));
}

export function residentNotice(key: string, t: Translate): OutgoingMessage {
  return { type: 'text', text: t(key) };
}
