import { z } from 'zod';
import { CodedError } from '../core/coded-error.js';
import type { RiskSecondOpinion, SecondOpinion } from '../core/ports/risk-second-opinion.js';
import { CRISIS_CATEGORIES } from '../core/vocabulary.js';

/**
 * A second opinion on risk from an OpenAI-compatible chat completions endpoint that the city runs
 * itself (a local model server, or a contracted one inside the city's network). Off unless
 * RISK_SECOND_OPINION_URL and RISK_SECOND_OPINION_MODEL are set. The message goes to that endpoint
 * and nowhere else; it is never logged.
 */
export interface OpenAiCompatibleSettings {
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
}

const INSTRUCTIONS = [
  'You screen messages sent to a Japanese city welfare consultation chat for risk to life or safety.',
  'Messages may be in any language, dialect or slang. Answer only with a JSON object:',
  '{"tier": "crisis" | "concern" | "none", "categories": [...]}',
  'crisis: danger now or very soon (plan, means, place, an act already done, farewell, violence or abuse happening now, a medical emergency).',
  "concern: possible risk worth asking about directly (wishes to disappear, hopelessness, worry about someone else's safety).",
  'none: anything else, including idioms, jokes, news, history told as resolved, and questions about words.',
  `categories: any of ${CRISIS_CATEGORIES.join(', ')}.`,
].join('\n');

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});
const verdictSchema = z.object({
  tier: z.enum(['none', 'concern', 'crisis']),
  categories: z.array(z.string()).default([]),
});

/** The endpoint failed (temporary: it may answer next time) or answered nonsense (permanent). */
export class SecondOpinionError extends CodedError {
  declare readonly code: 'SECOND_OPINION_HTTP' | 'SECOND_OPINION_INVALID';
  constructor(
    code: 'SECOND_OPINION_HTTP' | 'SECOND_OPINION_INVALID',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(
      code,
      code === 'SECOND_OPINION_HTTP' ? 'temporary' : 'permanent',
      `chat.completions: ${message}`,
      options,
    );
  }
}

export function createOpenAiCompatibleSecondOpinion(settings: OpenAiCompatibleSettings): RiskSecondOpinion {
  const endpoint = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    async assess(text, signal): Promise<SecondOpinion | null> {
      const response = await fetch(endpoint, {
        method: 'POST',
        signal,
        headers: {
          'content-type': 'application/json',
          ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: settings.model,
          temperature: 0,
          response_format: { type: 'json_object' },
          messages: [
            { role: 'system', content: INSTRUCTIONS },
            { role: 'user', content: text },
          ],
        }),
      });
      if (!response.ok) throw new SecondOpinionError('SECOND_OPINION_HTTP', `HTTP ${response.status}`);
      const completion = completionSchema.safeParse(await response.json().catch(() => null));
      if (!completion.success)
        throw new SecondOpinionError('SECOND_OPINION_INVALID', 'unexpected response shape');
      let verdict: unknown;
      try {
        verdict = JSON.parse(completion.data.choices[0]?.message.content ?? '');
      } catch (cause) {
        throw new SecondOpinionError('SECOND_OPINION_INVALID', 'the answer is not JSON', { cause });
      }
      const parsed = verdictSchema.safeParse(verdict);
      if (!parsed.success)
        throw new SecondOpinionError('SECOND_OPINION_INVALID', 'the answer has no valid tier');
      const known = new Set<string>(CRISIS_CATEGORIES);
      return {
        tier: parsed.data.tier,
        categories: parsed.data.categories.filter((c): c is SecondOpinion['categories'][number] =>
          known.has(c),
        ),
      };
    },
  };
}
