import { describe, expect, it } from 'vitest';
import {
  anonymousPart,
  fieldsTagged,
  intakeAttachments,
  personalFieldsIn,
  readIntake,
} from '../../../src/core/cases/intake.js';

describe('the intake', () => {
  it('tags what the resident wrote or sent as personal, and ids from fixed lists as anonymous', () => {
    expect(fieldsTagged('personal').sort()).toEqual(['areaText', 'attachments', 'location', 'phone']);
    expect(fieldsTagged('anonymous')).toContain('concern');
    expect(fieldsTagged('anonymous')).toContain('crisis');
  });

  it('reads a stored intake field by field, dropping what does not parse', () => {
    expect(readIntake({ urgency: 'today', fields: ['elderly', 42], phone: '  ', extra: 'x' })).toEqual({
      urgency: 'today',
    });
  });

  it("reads an older neighbour report's contactable yes/no as the contact means", () => {
    expect(readIntake({ contactable: 'yes' }).contact).toBe('line');
    expect(readIntake({ contactable: 'no' }).contact).toBe('none');
  });

  it('removes personal fields, unknown keys and an area that is typed text', () => {
    const stored = { urgency: 'soon', phone: '090', area: '若葉町2丁目', note: 'x', route: 'unknown' };
    expect(personalFieldsIn(stored).sort()).toEqual(['area', 'note', 'phone']);
    expect(anonymousPart(stored)).toEqual({ urgency: 'soon', route: 'unknown' });
  });

  it('lists the files sent during the intake, ignoring malformed entries', () => {
    expect(intakeAttachments({ attachments: ['image:c1', 'bogus', 'file:c2'] })).toEqual([
      { media: 'image', contentId: 'c1' },
      { media: 'file', contentId: 'c2' },
    ]);
  });
});
