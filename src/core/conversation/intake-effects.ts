import { answerList, answerText } from '../cases/answer-values.js';
import { describeNextOpening } from '../municipality/opening-hours.js';
import { resolveArea, routeToWindow } from '../municipality/route-to-window.js';
import type { CaseOrigin } from '../store.js';
import type { CrisisCategory, FieldId, ObservationId, PatternId } from '../vocabulary.js';
import { encodeChoice } from './choice-data.js';
import type { ConversationDeps } from './conversation-engine.js';
import { DataRequests } from './data-requests.js';
import type { FlowEffects, FlowRunner } from './flow-runner.js';
import type { FlowAction, StepOfType } from './flow-schema.js';
import { callButtons } from './render-step.js';
import { startProposal } from './start-proposal.js';
import type { Turn } from './turn.js';

/** Which crisis leads to which field, for a case a crisis opens before any intake was done. */
const CRISIS_FIELDS: Record<CrisisCategory, string[]> = {
  suicide: ['isolation'],
  violence: ['violence'],
  child_abuse: ['children', 'violence'],
  elder_abuse: ['elderly', 'violence'],
  domestic_violence: ['violence'],
  medical: ['unknown'],
};

/** Everything a flow does beyond talking: proposals from free text, cases, crisis, data requests. */
export class IntakeEffects implements FlowEffects {
  readonly config;
  private runner!: FlowRunner;
  private readonly data: DataRequests;

  constructor(
    private readonly deps: ConversationDeps,
    private readonly now: () => Date,
  ) {
    this.config = deps.config;
    this.data = new DataRequests(deps);
  }

  attach(runner: FlowRunner): void {
    this.runner = runner;
  }

  // ------------------------------------------------------------ free text

  /** Keeps what the resident wrote, so staff read their own words. */
  rememberWords(turn: Turn, text: string): void {
    const previous = answerText(turn.state.answers.ownWords);
    turn.state.answers.ownWords = previous ? `${previous}\n${text}` : text;
  }

  rememberAttachment(turn: Turn, contentId: string, media: string): void {
    turn.state.answers.attachments = [...answerList(turn.state.answers.attachments), `${media}:${contentId}`];
  }

  propose(turn: Turn, kind: 'fields' | 'observations', text: string): boolean {
    const result = this.deps.classifier.classify(text);
    const values = kind === 'fields' ? result.fields : result.observations;
    this.rememberWords(turn, text);
    if (kind === 'fields') this.addPatterns(turn, result.patterns);
    if (values.length === 0) return false;
    turn.state.proposal = { kind, values };
    this.askProposal(
      turn,
      turn.list(values.map((v) => turn.t(`${kind === 'fields' ? 'field' : 'observation'}.${v}`))),
    );
    return true;
  }

  /**
   * Free text outside a question: if it sounds like a worry about someone else or about oneself,
   * offer the matching intake (never start it silently). `inFlow`: only offer when it clearly fits.
   */
  proposeStart(turn: Turn, text: string, inFlow = false): boolean {
    if (inFlow && turn.state.position?.flowId !== 'welcome') return false;
    const result = this.deps.classifier.classify(text);
    if (!inFlow) this.rememberWords(turn, text);
    this.addPatterns(turn, result.patterns);
    const proposal = startProposal(result);
    if (!proposal) return false;
    turn.state.proposal = proposal;
    this.askProposal(
      turn,
      proposal.kind === 'start-neighbour'
        ? turn.t('proposal.neighbour')
        : turn.list(proposal.values.map((f) => turn.t(`field.${f}`))),
    );
    return true;
  }

  async answerProposal(turn: Turn, answer: 'yes' | 'no'): Promise<void> {
    const proposal = turn.state.proposal;
    turn.state.proposal = undefined;
    if (!proposal) return this.runner.start(turn, 'welcome', 'menu');
    if (proposal.kind === 'fields' || proposal.kind === 'observations') {
      if (answer === 'yes') return this.runner.accept(turn, proposal.values);
      turn.say('proposal.declined');
      return this.runner.repeat(turn);
    }
    if (answer === 'no') {
      turn.say('proposal.declined');
      return this.runner.start(turn, 'welcome', 'menu');
    }
    if (proposal.kind === 'start-neighbour') {
      turn.state.answers.observations = proposal.values;
      return this.runner.start(turn, 'intake-neighbour');
    }
    turn.state.answers.fields = proposal.values;
    return this.runner.start(turn, 'intake-self');
  }

  private askProposal(turn: Turn, about: string): void {
    turn.sayText(turn.t('proposal.question', { about }), [
      {
        kind: 'choice',
        label: turn.t('proposal.yes'),
        data: encodeChoice({ kind: 'proposal', answer: 'yes' }),
      },
      {
        kind: 'choice',
        label: turn.t('proposal.no'),
        data: encodeChoice({ kind: 'proposal', answer: 'no' }),
      },
    ]);
  }

  private addPatterns(turn: Turn, patterns: readonly string[]): void {
    if (patterns.length === 0) return;
    turn.state.answers.patterns = [...new Set([...answerList(turn.state.answers.patterns), ...patterns])];
  }

  askResume(turn: Turn): void {
    turn.sayText(turn.t('resume.question'), [
      {
        kind: 'choice',
        label: turn.t('resume.continue'),
        data: encodeChoice({ kind: 'resume', answer: 'continue' }),
      },
      {
        kind: 'choice',
        label: turn.t('resume.restart'),
        data: encodeChoice({ kind: 'resume', answer: 'restart' }),
      },
    ]);
  }

  // ------------------------------------------------------------ cases

  /** While a case is open and no flow runs, what the resident writes goes to staff; the bot stays quiet. */
  async relayToOpenCase(turn: Turn): Promise<boolean> {
    const caseId = turn.state.caseId;
    if (!caseId || turn.state.position || turn.event.content.type === 'choice') return false;
    let record = await this.deps.desk.get(caseId);
    if (record?.status === 'closed' && record.residentKey === turn.key && this.deps.desk.canReopen(record)) {
      record = await this.deps.desk.reopen(record);
    }
    if (!record || record.status === 'closed' || record.residentKey !== turn.key) {
      turn.state.caseId = undefined;
      turn.state.urgent = false;
      return false;
    }
    await this.deps.handoff.residentMessage(record, turn.event.content, turn.event.id);
    return true;
  }

  /** The 1-5 answer after a case was closed. */
  async rate(turn: Turn, caseId: string, score: number): Promise<void> {
    if (await this.deps.desk.rate(caseId, turn.key, score)) turn.say('handoff.rating-thanks');
  }

  /** `extra`: what staff should also see, such as the answer to the safety question. */
  async raiseCrisis(
    turn: Turn,
    categories: CrisisCategory[],
    text: string,
    extra: Record<string, string> = {},
  ): Promise<void> {
    turn.state.urgent = true;
    if (turn.state.caseId) {
      const record = await this.deps.desk.markCrisis(turn.state.caseId, text);
      if (record && record.status !== 'closed') return;
    }
    const fields = [
      ...new Set([...categories.flatMap((c) => CRISIS_FIELDS[c]), ...answerList(turn.state.answers.fields)]),
    ];
    const known = fields.filter((f) => f !== 'unknown');
    const origin = this.originOf(turn);
    const route = routeToWindow(this.config, {
      fields: (known.length > 0 ? known : ['unknown']) as FieldId[],
      patterns: [],
      origin,
    });
    const record = await this.deps.desk.open({
      cause: `crisis:${turn.event.id}`,
      residentKey: turn.key,
      channel: turn.event.channel,
      origin,
      anonymous: true,
      windowId: route.windowId,
      fields: known,
      patterns: [],
      urgent: true,
      language: turn.language,
      answers: { crisis: categories, ...extra },
      ownWords: text,
    });
    turn.state.caseId = record.id;
  }

  async handoff(turn: Turn, step: StepOfType<'handoff'>): Promise<void> {
    const answers = turn.state.answers;
    const origin: CaseOrigin =
      typeof step.origin === 'string'
        ? step.origin
        : ((answerText(answers[step.origin.answer]) as CaseOrigin) ?? 'self');
    const fields = step.fieldsAnswer ? answerList(answers[step.fieldsAnswer]) : [];
    const observations = step.observationsAnswer ? answerList(answers[step.observationsAnswer]) : [];
    const ownWords = answerText(answers[step.ownWordsAnswer ?? 'ownWords']);
    if (ownWords) this.addPatterns(turn, this.deps.classifier.classify(ownWords).patterns);
    const patterns = answerList(answers.patterns) as PatternId[];
    const areaText = step.areaAnswer ? answerText(answers[step.areaAnswer]) : undefined;
    const area = areaText ? resolveArea(this.config, areaText) : undefined;
    const route = routeToWindow(this.config, {
      fields: fields as FieldId[],
      patterns,
      origin,
      observations: observations as ObservationId[],
      ...(area ? { area } : {}),
    });
    const contact = step.contactAnswer ? answerText(answers[step.contactAnswer]) : undefined;
    const anonymous = origin === 'neighbour' ? contact !== 'yes' : contact !== 'phone';
    const { ownWords: _words, patterns: _patterns, ...rest } = answers;
    const content = {
      windowId: route.windowId,
      fields: fields.filter((f) => f !== 'unknown'),
      patterns,
      origin,
      anonymous,
      answers: { ...rest, route: route.reason, ...(area ? { area } : {}) },
      ownWords: ownWords ?? null,
    };

    const existing = turn.state.caseId ? await this.deps.desk.get(turn.state.caseId) : null;
    const record =
      existing && existing.status !== 'closed' && existing.residentKey === turn.key
        ? await this.deps.desk.complete(existing.id, {
            ...content,
            ownWords: [existing.ownWords, ownWords].filter(Boolean).join('\n') || null,
          })
        : await this.deps.desk.open({
            cause: `intake:${turn.event.id}`,
            residentKey: turn.key,
            channel: turn.event.channel,
            language: turn.language,
            urgent: turn.state.urgent,
            ...content,
            ownWords: ownWords,
          });
    if (!record) return;
    turn.state.caseId = record.id;
    turn.state.answers = {};
    this.tellResident(turn, record.number, record.windowId, origin, contact);
  }

  private tellResident(
    turn: Turn,
    number: string,
    windowId: string,
    origin: CaseOrigin,
    contact: string | undefined,
  ): void {
    const window = this.config.windows.find((w) => w.id === windowId);
    const name = window ? ((window.names as Record<string, string>)[turn.language] ?? window.names.ja) : '';
    turn.say(origin === 'neighbour' ? 'handoff.received-neighbour' : 'handoff.received', {
      number,
      window: name,
    });
    if (!window) return;
    if (this.deps.desk.isWindowOpen(windowId)) {
      turn.say(contact === 'none' ? 'handoff.no-reply' : 'handoff.open-now');
      return;
    }
    const next = describeNextOpening(window, this.now(), this.config.timezone);
    const dayAndTime = next
      ? turn.t('handoff.next-opening', {
          weekday: turn.t(`time.weekday.${next.weekday}`),
          time: next.time.replace(/^0/, ''),
          date: next.date,
        })
      : '';
    const allDay = this.config.emergencyNumbers.filter((n) => n.twentyFourHours);
    turn.sayText(
      `${turn.t('handoff.after-hours', { when: dayAndTime })}\n${turn.t('handoff.after-hours-numbers')}`,
      callButtons(allDay, turn.language).slice(0, 13),
    );
  }

  private originOf(turn: Turn): CaseOrigin {
    if (turn.state.position?.flowId === 'intake-neighbour') return 'neighbour';
    return turn.state.answers.subject === 'family' ? 'family' : 'self';
  }

  // ------------------------------------------------------------ actions

  async action(turn: Turn, action: FlowAction, value?: string): Promise<void> {
    switch (action) {
      case 'set-language':
        if (value && this.deps.translator.languages.includes(value)) turn.setLanguage(value);
        return;
      case 'stop':
        turn.state.position = undefined;
        turn.say('common.stopped');
        return;
      case 'describe-data':
        return this.data.describe(turn);
      case 'erase-data':
        return this.data.erase(turn);
    }
  }
}
