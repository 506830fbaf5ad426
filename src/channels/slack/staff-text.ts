import { type CaseSummary, summarizeCase } from '../../core/cases/case-summary.js';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import { describeNextOpening } from '../../core/municipality/opening-hours.js';
import type { CaseRecord } from '../../core/ports/store.js';
import type { Translate, Translator } from '../../core/ports/translator.js';

/** Staff read Japanese: the staff channel's text comes from the `ja` locale (`staff.*` keys). */
const STAFF_LANGUAGE = 'ja';

/**
 * Every staff-facing string, from the locales, plus the few formatting helpers the alert and thread
 * notes share. Values interpolated here are not escaped: callers escape what goes into mrkdwn.
 */
export class StaffText {
  readonly t: Translate;
  private readonly dateTimeFormat: Intl.DateTimeFormat;
  private readonly timeFormat: Intl.DateTimeFormat;

  constructor(
    translator: Translator,
    private readonly config: MunicipalityConfig,
  ) {
    this.t = translator.forLanguage(STAFF_LANGUAGE);
    const base = { timeZone: config.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    this.dateTimeFormat = new Intl.DateTimeFormat('ja-JP', { ...base, month: 'numeric', day: 'numeric' });
    this.timeFormat = new Intl.DateTimeFormat('ja-JP', base);
  }

  /** What staff see of the case (core/cases/case-summary.ts), in the staff language. */
  summary(record: CaseRecord, now: Date): CaseSummary {
    return summarizeCase(record, { config: this.config, t: this.t, language: STAFF_LANGUAGE, now });
  }

  /** A label from a key family (`field.elderly`); the bare id when the locales have no label for it. */
  label(prefix: string, id: string): string {
    const key = `${prefix}.${id}`;
    const text = this.t(key);
    return text === key ? id : text;
  }

  list(items: string[]): string {
    return items.join(this.t('common.list-separator'));
  }

  windowName(windowId: string): string {
    return this.config.windows.find((w) => w.id === windowId)?.names.ja ?? windowId;
  }

  /** "5/12 10:42" on the municipality's wall clock. */
  dateTime(at: Date): string {
    return this.dateTimeFormat.format(at);
  }

  /** "10:42" on the municipality's wall clock. */
  time(at: Date): string {
    return this.timeFormat.format(at);
  }

  /** "月曜 8:30", or undefined when the window opens nowhere in the next month. */
  nextOpening(windowId: string, at: Date): string | undefined {
    const window = this.config.windows.find((w) => w.id === windowId);
    const next = window ? describeNextOpening(window, at, this.config.timezone) : null;
    if (!next) return undefined;
    return `${this.t(`time.weekday.${next.weekday}`)} ${next.time.replace(/^0/, '')}`;
  }
}
