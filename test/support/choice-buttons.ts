import { type ChoiceData, encodeChoice } from '../../src/core/conversation/choice-data.js';
import type { QuickReply } from '../../src/core/ports/outgoing-message.js';

/**
 * The postback data of the quick reply that carries `choice`, found by its ids rather than its
 * label, so that a city editing the copy in locales/ breaks no test.
 */
export function choiceButtonData(buttons: readonly QuickReply[], choice: ChoiceData): string {
  const data = encodeChoice(choice);
  const button = buttons.find((b) => b.kind === 'choice' && b.data === data);
  if (!button)
    throw new Error(
      `no button for ${data}; the buttons carry: ${buttons
        .map((b) => (b.kind === 'choice' ? b.data : b.kind))
        .join(' | ')}`,
    );
  return data;
}

/** A flow option by its ids: a single choice's option, or a multi-choice's toggle. */
export function flowOptionChoice(
  buttons: readonly QuickReply[],
  flow: string,
  step: string,
  option: string,
): ChoiceData {
  const asOption = encodeChoice({ kind: 'option', flow, step, option });
  const kind = buttons.some((b) => b.kind === 'choice' && b.data === asOption) ? 'option' : 'toggle';
  return { kind, flow, step, option };
}
