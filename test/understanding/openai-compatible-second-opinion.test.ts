import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAiCompatibleSecondOpinion } from '../../src/understanding/openai-compatible-second-opinion.js';

const BASE = 'http://llm.city.test/v1';
const opinion = createOpenAiCompatibleSecondOpinion({ baseUrl: BASE, model: 'screen-1', apiKey: 'k' });
const answer = (content: string) => ({ choices: [{ message: { role: 'assistant', content } }] });

describe('the OpenAI-compatible second opinion', () => {
  afterEach(() => nock.cleanAll());

  it('sends the message to the city endpoint only, and reads the tier and categories it answers', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: 'Bearer k' } })
      .post(
        '/chat/completions',
        (body) => body.model === 'screen-1' && body.messages.at(-1).content === 'もう終わりにする',
      )
      .reply(200, answer('{"tier":"crisis","categories":["suicide","unknown-thing"]}'));
    expect(await opinion.assess('もう終わりにする', AbortSignal.timeout(1000))).toEqual({
      tier: 'crisis',
      categories: ['suicide'],
    });
    scope.done();
  });

  it('refuses what it cannot read, with a coded error that names the method', async () => {
    nock(BASE).post('/chat/completions').reply(200, answer('I think it is fine'));
    await expect(opinion.assess('x', AbortSignal.timeout(1000))).rejects.toMatchObject({
      code: 'SECOND_OPINION_INVALID',
      message: expect.stringContaining('chat.completions'),
    });
    nock(BASE).post('/chat/completions').reply(503, 'overloaded');
    await expect(opinion.assess('x', AbortSignal.timeout(1000))).rejects.toMatchObject({
      code: 'SECOND_OPINION_HTTP',
    });
  });

  it('stops waiting when its budget runs out', async () => {
    nock(BASE).post('/chat/completions').delay(2000).reply(200, answer('{"tier":"none"}'));
    await expect(opinion.assess('x', AbortSignal.timeout(50))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });
});
