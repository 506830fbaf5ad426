import type { CaseDesk } from '../cases/case-desk.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { IncomingEvent } from '../ports/incoming-event.js';
import type { ContactRepository, SessionRepository } from '../ports/store.js';
import type { Turn } from './turn.js';

/** What answering a resident's questions about their data needs (a part of the engine's deps). */
export interface DataRequestDeps {
  desk: CaseDesk;
  sessions: SessionRepository;
  contacts: ContactRepository;
  config: MunicipalityConfig;
  settings: { sessionTtlMs: number };
  /** Redacts the resident's queue copies (inbox events, outbox items) as part of an erasure. */
  eraseTraces?: ((event: IncomingEvent, residentKey: string) => Promise<void>) | undefined;
  /** 見守り: what it keeps about the resident, as one line (core/watch). */
  watch?: { keptLine(turn: Turn): Promise<string | undefined> } | undefined;
}

/** "What do you keep about me" and "erase my data". */
export class DataRequests {
  constructor(private readonly deps: DataRequestDeps) {}

  async describe(turn: Turn): Promise<void> {
    const cases = await this.deps.desk.casesOf(turn.key);
    const lines = [turn.t('data.kept.language', { language: turn.t(`language.name.${turn.language}`) })];
    const answers = Object.keys(turn.state.answers).length;
    lines.push(turn.t(answers > 0 ? 'data.kept.answers' : 'data.kept.no-answers'));
    for (const record of cases) {
      lines.push(
        turn.t('data.kept.case', {
          number: record.number,
          status: turn.t(`case.status.${record.status}`),
          words: turn.t(record.ownWords ? 'data.kept.words-yes' : 'data.kept.words-no'),
        }),
      );
    }
    if (cases.length === 0) lines.push(turn.t('data.kept.no-cases'));
    const watch = await this.deps.watch?.keptLine(turn);
    if (watch) lines.push(watch);
    lines.push(
      turn.t('data.kept.retention', {
        days: this.deps.config.retention.conversationDaysAfterClose,
        sessionDays: Math.round(this.deps.settings.sessionTtlMs / 86_400_000),
      }),
    );
    turn.sayText(`${turn.t('data.kept.heading')}\n${lines.map((l) => `・${l}`).join('\n')}`);
  }

  /** Erasing while staff are still on the case cuts their way back to the resident: say so first. */
  async warnIfCaseOpen(turn: Turn): Promise<void> {
    const open = (await this.deps.desk.casesOf(turn.key)).some((record) => record.status !== 'closed');
    if (open) turn.say('data.erase.open-case');
  }

  /**
   * Erases the conversation (session and answers), the resident's words in their cases and the link
   * between their LINE account and those cases. What stays: anonymised counts and the audit entry
   * saying that an erasure happened.
   */
  async erase(turn: Turn): Promise<void> {
    const { channel, address } = turn.event;
    await this.deps.eraseTraces?.(turn.event, turn.key);
    await this.deps.desk.eraseResident(turn.key);
    await this.deps.sessions.delete(turn.key);
    await this.deps.contacts.delete(channel, address);
    turn.erased = true;
    turn.state.position = undefined;
    turn.say('data.erased');
  }
}
