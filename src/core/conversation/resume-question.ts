import { encodeChoice } from './choice-data.js';
import type { Turn } from './turn.js';

/** After a long pause in a flow: "continue where you left off, or start again?" */
export function askResume(turn: Turn): void {
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
