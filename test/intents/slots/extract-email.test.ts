import { describe, expect, it } from 'vitest';
import { extractEmail, findEmails } from '../../../intents/slots/index.js';

describe('extractEmail', () => {
  it.each([
    ['new lead: Jane Doe, Jane.Doe@Acme.co.uk.', 'jane.doe@acme.co.uk'],
    ['mailto:ops+alerts@soarix.ai', 'ops+alerts@soarix.ai'],
    ['(jane_o-neil@acme.io)', 'jane_o-neil@acme.io'],
    ['write to info@bücher.de', 'info@xn--bcher-kva.de'],
  ])('%s → %s', (text, expected) => {
    expect(extractEmail(text)).toBe(expected);
  });

  it.each(['jane@acme', 'x@y.z', '@acme.com', 'jane@@acme.com', 'jane@192.168.0.1', 'no address here', ''])(
    'finds nothing in %j',
    (text) => {
      expect(extractEmail(text)).toBeUndefined();
    },
  );

  it('lists several addresses once each', () => {
    const found = findEmails('cc a@acme.com, b@acme.com and A@acme.com');
    expect(found.map((e) => e.value)).toEqual(['a@acme.com', 'b@acme.com']);
  });
});
