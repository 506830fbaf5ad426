import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMunicipalityConfig } from '../../../src/core/municipality/load-municipality-config.js';
import { ConversationHarness } from '../../support/conversation-harness.js';
import { minimalMunicipalityConfig } from '../municipality/minimal-municipality-config.js';

describe('the greeting presents the front door', () => {
  let h: ConversationHarness;
  beforeEach(async () => {
    h = await ConversationHarness.create();
  });
  afterEach(() => h.close());

  it("shows the city's opening hours and links its privacy policy and terms, in the resident's language", async () => {
    const { frontDoor } = h.content.municipality;
    const r = h.resident();
    await r.follow();
    expect(r.said('welcome.notice.front-door')).toBe(true);
    expect(r.text()).toContain(frontDoor.hours.ja);
    expect(r.text()).toContain(frontDoor.privacyPolicyUrl);
    expect(r.text()).toContain(frontDoor.termsUrl);

    const english = h.resident();
    h.profileLanguages.set(english.address, 'en-US');
    await english.follow();
    expect(english.text()).toContain(frontDoor.hours.en);
    expect(english.text()).toContain(frontDoor.privacyPolicyUrl);
  });
});

describe('the front door in the city config', () => {
  it('takes only https addresses for the privacy policy and terms, naming the path', () => {
    const config = minimalMunicipalityConfig();
    config.frontDoor = {
      ...config.frontDoor,
      privacyPolicyUrl: 'http://city.example.jp/privacy',
      termsUrl: 'not a url',
    };
    expect(() => parseMunicipalityConfig(config, 'city.yaml')).toThrow(
      /frontDoor\.privacyPolicyUrl: must be an https:\/\/ address/,
    );
    expect(() => parseMunicipalityConfig(config, 'city.yaml')).toThrow(/frontDoor\.termsUrl/);
  });
});

describe('the language a worry is written in', () => {
  let h: ConversationHarness;
  beforeEach(async () => {
    h = await ConversationHarness.create();
  });
  afterEach(() => h.close());

  const language = async (address: string) =>
    (await h.store.sessions.get(`line:${address}`, h.clock.now()))?.state;

  it('answers a first worry in the language it is written in, whatever the phone is set to', async () => {
    const r = h.resident();
    h.profileLanguages.set(r.address, 'ja-JP');
    await r.say('남편이 일본 사람인데 저는 일본에 친구가 한 명도 없어요. 하루 종일 아무하고도 말을 안 해요');
    expect(r.said('welcome.notice.front-door', undefined, 'ko')).toBe(true);
    expect(await language(r.address)).toMatchObject({ language: 'ko', languageSource: 'detected' });
    expect(h.languageChanges).toContainEqual({ address: r.address, language: 'ko' });
  });

  it('switches from the menu too, but not for a term any language may use, nor for a choice the resident made', async () => {
    const r = h.resident();
    h.profileLanguages.set(r.address, 'pt-BR');
    await r.follow();
    await r.say('介護保険');
    expect(await language(r.address)).toMatchObject({ language: 'pt-BR', languageSource: 'profile' });
    await r.say('My mother lives alone and she keeps forgetting to eat. Is there any help for her?');
    expect(await language(r.address)).toMatchObject({ language: 'en', languageSource: 'detected' });

    const chose = h.resident();
    await chose.follow();
    await chose.tapOption('welcome', 'menu', 'language');
    await chose.tapOption('language', 'pick', 'en');
    await chose.say('介護保険のことを聞きたいです');
    expect(await language(chose.address)).toMatchObject({ language: 'en', languageSource: 'chosen' });
  });

  it('asks for the profile only when the first words do not say which language they are in', async () => {
    // Kana: Japanese, whatever the phone says; the profile would change nothing, so it is not read.
    const written = h.resident();
    h.profileLanguages.set(written.address, 'ko-KR');
    await written.say('母の介護のことで相談したいです');
    expect(h.profileLookups).not.toContain(written.address);
    expect(await language(written.address)).toMatchObject({ language: 'ja', languageSource: 'detected' });

    // A term any language uses, a command, a follow: the profile decides, as before.
    for (const first of ['介護保険', 'メニュー', 'OK']) {
      const r = h.resident();
      h.profileLanguages.set(r.address, 'pt-BR');
      await r.say(first);
      expect(h.profileLookups, first).toContain(r.address);
      expect(await language(r.address), first).toMatchObject({ language: 'pt-BR' });
    }
    const follower = h.resident();
    h.profileLanguages.set(follower.address, 'en-US');
    await follower.follow();
    expect(h.profileLookups).toContain(follower.address);
    expect(await language(follower.address)).toMatchObject({ language: 'en', languageSource: 'profile' });
  });
});
