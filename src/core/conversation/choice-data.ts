import { z } from 'zod';

/**
 * What a tapped button carries back (LINE postback data, at most 300 characters). Each button names
 * the flow and step it belongs to, so a tap on an old button is recognised as stale, not misread.
 */
export type ChoiceData =
  | { kind: 'option'; flow: string; step: string; option: string }
  | { kind: 'toggle'; flow: string; step: string; option: string }
  | { kind: 'done'; flow: string; step: string }
  | { kind: 'skip'; flow: string; step: string }
  | { kind: 'proposal'; answer: 'yes' | 'no' }
  | { kind: 'resume'; answer: 'continue' | 'restart' }
  | { kind: 'command'; command: Command }
  /** The answer to "are you in danger now?" */
  | { kind: 'safety'; answer: SafetyAnswer }
  /** The 1-5 satisfaction answer after a case was closed. */
  | { kind: 'rating'; caseId: string; score: number }
  /** 見守り (core/watch): consent, a check-in's answer, pause / time / stop; `ref` a watch or check-in id. */
  | { kind: 'watch'; verb: WatchVerb; ref: string }
  /** つなぐシート: the resident's answer to "may we share this with `window`?" for case `caseId`. */
  | { kind: 'consent'; answer: 'yes' | 'no'; caseId: string; window: string };

export type WatchVerb =
  | 'agree'
  | 'decline'
  | 'fine'
  | 'worried'
  | 'talk'
  | 'pause'
  | 'resume'
  | 'time'
  | 'stop'
  | 'menu'
  | 'invite'
  | 'unlink'
  | `slot-${number}`;
const WATCH_VERB =
  /^(agree|decline|fine|worried|talk|pause|resume|time|stop|menu|invite|unlink|slot-\d{1,2})$/;

export const SAFETY_ANSWERS = ['yes', 'unsure', 'no'] as const;
export type SafetyAnswer = (typeof SAFETY_ANSWERS)[number];

export const commandSchema = z.enum(['restart', 'stop', 'language']);
export type Command = z.infer<typeof commandSchema>;

const part = z.string().regex(/^[a-z0-9_-]{1,64}$/);

export function encodeChoice(data: ChoiceData): string {
  switch (data.kind) {
    case 'option':
      return `o|${data.flow}|${data.step}|${data.option}`;
    case 'toggle':
      return `m|${data.flow}|${data.step}|${data.option}`;
    case 'done':
      return `d|${data.flow}|${data.step}`;
    case 'skip':
      return `s|${data.flow}|${data.step}`;
    case 'proposal':
      return `p|${data.answer}`;
    case 'resume':
      return `r|${data.answer}`;
    case 'command':
      return `c|${data.command}`;
    case 'safety':
      return `k|${data.answer}`;
    case 'rating':
      return `q|${data.caseId}|${data.score}`;
    case 'watch':
      return `w|${data.verb}|${data.ref}`;
    case 'consent':
      return `g|${data.answer}|${data.caseId}|${data.window}`;
  }
}

/** null for anything this service did not make (postback data is input like any other). */
export function decodeChoice(raw: string): ChoiceData | null {
  const [tag, ...rest] = raw.split('|');
  const ok = (n: number) => rest.length === n && rest.every((p) => part.safeParse(p).success);
  switch (tag) {
    case 'o':
    case 'm':
      return ok(3)
        ? {
            kind: tag === 'o' ? 'option' : 'toggle',
            flow: rest[0] as string,
            step: rest[1] as string,
            option: rest[2] as string,
          }
        : null;
    case 'd':
    case 's':
      return ok(2)
        ? { kind: tag === 'd' ? 'done' : 'skip', flow: rest[0] as string, step: rest[1] as string }
        : null;
    case 'p':
      return rest[0] === 'yes' || rest[0] === 'no' ? { kind: 'proposal', answer: rest[0] } : null;
    case 'r':
      return rest[0] === 'continue' || rest[0] === 'restart' ? { kind: 'resume', answer: rest[0] } : null;
    case 'k': {
      const answer = z.enum(SAFETY_ANSWERS).safeParse(rest[0]);
      return answer.success && rest.length === 1 ? { kind: 'safety', answer: answer.data } : null;
    }
    case 'c': {
      const command = commandSchema.safeParse(rest[0]);
      return command.success && rest.length === 1 ? { kind: 'command', command: command.data } : null;
    }
    case 'q': {
      const score = Number(rest[1]);
      return ok(2) && Number.isInteger(score) && score >= 1 && score <= 5
        ? { kind: 'rating', caseId: rest[0] as string, score }
        : null;
    }
    case 'w':
      return ok(2) && WATCH_VERB.test(rest[0] as string)
        ? { kind: 'watch', verb: rest[0] as WatchVerb, ref: rest[1] as string }
        : null;
    case 'g':
      return ok(3) && (rest[0] === 'yes' || rest[0] === 'no')
        ? { kind: 'consent', answer: rest[0], caseId: rest[1] as string, window: rest[2] as string }
        : null;
    default:
      return null;
  }
}
