import type { WatchVerb } from '../conversation/choice-data.js';
import { nextOpeningText } from '../conversation/handoff-receipt.js';
import type { Turn } from '../conversation/turn.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { CaseRecord, WatchRecord } from '../ports/store.js';
import { type AnswerResult, WATCHER_CODE, WATCHER_CODE_HOURS, type WatchDesk } from './watch-desk.js';
import { consentMessage, describePlan, manageChoices, slotChoices } from './watch-messages.js';

/**
 * The resident's side of 見守り inside a conversation turn: taps on its buttons, words written while
 * a check-in waits, and the menu entry. Every answer thanks the resident; none asks why.
 */
export class WatchConversation {
  constructor(
    private readonly desk: WatchDesk,
    private readonly config: MunicipalityConfig,
    private readonly now: () => Date,
  ) {}

  async choose(turn: Turn, verb: WatchVerb, ref: string): Promise<void> {
    switch (verb) {
      case 'agree': {
        const result = await this.desk.agree(ref, turn.key);
        if (result.kind === 'gone') return turn.say('watch.gone');
        return turn.say('watch.consent.agreed', { plan: describePlan(result.watch.plan, turn.t) });
      }
      case 'decline':
        if ((await this.desk.decline(ref, turn.key)).kind === 'gone') return turn.say('watch.gone');
        return turn.say('watch.consent.declined');
      case 'fine':
      case 'worried':
      case 'talk':
        return this.answered(turn, await this.desk.answer(ref, verb, turn.key));
      case 'pause': {
        const result = await this.desk.pause(ref, turn.key);
        if (result.kind === 'gone') return turn.say('watch.gone');
        return turn.say('watch.manage.paused', { days: this.config.watch.pauseDays });
      }
      case 'resume':
        if ((await this.desk.resume(ref, turn.key)).kind === 'gone') return turn.say('watch.gone');
        return turn.say('watch.manage.resumed');
      case 'time': {
        const watch = await this.desk.get(ref);
        if (watch?.residentKey !== turn.key || watch.status !== 'active') return turn.say('watch.gone');
        return turn.sayText(
          turn.t('watch.manage.time-question'),
          slotChoices(watch, this.config.watch.slots),
        );
      }
      case 'stop':
        if ((await this.desk.stop(ref, turn.key)).kind === 'gone') return turn.say('watch.gone');
        return turn.say('watch.manage.stopped');
      case 'menu':
        return this.menu(turn);
      case 'invite': {
        const result = await this.desk.inviteWatcher(ref, turn.key);
        if (result.kind === 'gone') return turn.say('watch.gone');
        return turn.say('watch.watcher.code', { code: result.code, hours: WATCHER_CODE_HOURS });
      }
      case 'unlink':
        if ((await this.desk.removeWatcher(ref, turn.key)).kind === 'gone') return turn.say('watch.gone');
        return turn.say('watch.watcher.removed');
      default: {
        const slot = this.config.watch.slots[Number(verb.slice('slot-'.length))];
        const result = slot ? await this.desk.changeSlot(ref, turn.key, slot) : { kind: 'gone' as const };
        if (result.kind === 'gone') return turn.say('watch.gone');
        return turn.say('watch.manage.time-changed', { time: result.watch.plan.slot });
      }
    }
  }

  /**
   * Words written while a check-in waits for an answer: they answer it and go to the case's window
   * (the engine has already read them for danger). false when no check-in waits.
   */
  async wrote(turn: Turn, relay: (record: CaseRecord) => Promise<void>): Promise<boolean> {
    if (turn.event.content.type !== 'text' || turn.state.position) return false;
    const open = await this.desk.openCheckIn(turn.key);
    if (!open) return false;
    const result = await this.desk.answer(open.id, 'wrote', turn.key);
    if (result.kind === 'answered' && result.record && result.record.status !== 'closed') {
      await relay(result.record);
      turn.state.caseId = result.record.id;
    }
    this.answered(turn, result);
    return true;
  }

  /**
   * A watcher code sent by the person the resident gave it to: they are linked. false for any other
   * message (a six-letter word that is no live code is read as usual).
   */
  async joinByCode(turn: Turn): Promise<boolean> {
    const { content } = turn.event;
    if (content.type !== 'text') return false;
    const code = content.text.normalize('NFKC').trim().toUpperCase();
    if (!WATCHER_CODE.test(code)) return false;
    if ((await this.desk.joinAsWatcher(code, turn.key)).kind !== 'joined') return false;
    turn.say('watch.watcher.joined');
    return true;
  }

  /** "What do you keep about me": the schedule and the history of answers (kinds only, never words). */
  async keptLine(turn: Turn): Promise<string | undefined> {
    const watch = await this.desk.ofResident(turn.key);
    if (!watch) return undefined;
    return turn.t('watch.kept', {
      plan: describePlan(watch.plan, turn.t),
      days: this.config.watch.historyDays,
    });
  }

  /** 見守り from the menu: manage it when it runs, ask again when it waits, otherwise ask the window. */
  async menu(turn: Turn): Promise<void> {
    const watch = await this.desk.ofResident(turn.key);
    if (watch?.status === 'active') return this.manage(turn, watch);
    if (watch?.status === 'proposed') {
      const message = consentMessage(watch, turn.t);
      return turn.sayText(message.text, message.quickReplies);
    }
    const result = await this.desk.request(turn.key);
    if (result.kind === 'no-case') return turn.say('watch.menu.no-case');
    turn.state.caseId = result.record.id;
    turn.say('watch.menu.requested', { when: this.when(turn, result.record) });
  }

  private manage(turn: Turn, watch: WatchRecord): void {
    const paused = watch.pausedUntil !== undefined && watch.pausedUntil > this.now();
    turn.sayText(
      turn.t(paused ? 'watch.menu.paused' : 'watch.menu.active', { plan: describePlan(watch.plan, turn.t) }),
      manageChoices(watch, turn.t, this.now()),
    );
  }

  private answered(turn: Turn, result: AnswerResult): void {
    if (result.kind === 'gone') turn.say('watch.gone');
    else if (result.answer === 'fine') turn.say('watch.answer.fine');
    else if (!result.record) turn.say('watch.answer.no-case');
    else this.relayed(turn, result.record, result.answer);
  }

  private relayed(turn: Turn, record: CaseRecord, answer: string): void {
    turn.state.caseId = record.id;
    turn.say(`watch.answer.${answer}`, { when: this.when(turn, record) });
  }

  /** Honest about the hours: "now" while the window is staffed, else when it next opens. */
  private when(turn: Turn, record: CaseRecord): string {
    const window = this.config.windows.find((w) => w.id === record.windowId);
    if (!window) return turn.t('watch.when.soon');
    const next = this.desk.isOpen(record.windowId)
      ? undefined
      : nextOpeningText(turn, window, this.now(), this.config.timezone);
    return next ? turn.t('watch.when.later', { when: next }) : turn.t('watch.when.soon');
  }
}
