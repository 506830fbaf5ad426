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
