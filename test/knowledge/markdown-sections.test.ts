import { describe, expect, it } from 'vitest';
import { splitSections } from '../../knowledge/index.js';

describe('splitSections: a Markdown file becomes sections by heading', () => {
  it('keeps the text under each heading, with the headings above it as parents', () => {
    const sections = splitSections(
      'prices.md',
      ['# Prices', '', 'All prices exclude VAT.', '', '## Website packages', '', '- Starter: £2,900.', '- Business: £6,500.', '', '### Extras', '', 'A blog: £400.', '', '## Discounts', '', '15% for charities.'].join('\n'),
    );
    expect(sections).toEqual([
      { id: 'prices.md#prices', file: 'prices.md', heading: 'Prices', parents: [], text: 'All prices exclude VAT.' },
      { id: 'prices.md#website-packages', file: 'prices.md', heading: 'Website packages', parents: ['Prices'], text: '- Starter: £2,900.\n- Business: £6,500.' },
      { id: 'prices.md#extras', file: 'prices.md', heading: 'Extras', parents: ['Prices', 'Website packages'], text: 'A blog: £400.' },
      { id: 'prices.md#discounts', file: 'prices.md', heading: 'Discounts', parents: ['Prices'], text: '15% for charities.' },
    ]);
  });

  it('names text before any heading after the file, and leaves out headings with no text of their own', () => {
    const sections = splitSections('team/on-call.md', 'Who answers at night.\n\n# Rota\n## Weekdays\n\nAna and Bo.');
    expect(sections.map((s) => [s.id, s.heading, s.parents])).toEqual([
      ['team/on-call.md#on-call', 'on call', []],
      ['team/on-call.md#weekdays', 'Weekdays', ['Rota']],
    ]);
  });

  it('does not read a # line inside a fenced code block as a heading', () => {
    const sections = splitSections('dev.md', '# Deploys\n\n```sh\n# not a heading\nnpm run deploy\n```\n\n## After');
    expect(sections).toHaveLength(1);
    expect(sections[0]!.text).toContain('# not a heading');
  });

  it('reads setext headings, strips inline Markdown from headings, and numbers repeated headings', () => {
    const sections = splitSections('faq.md', 'Hosting\n=======\n\nYes.\n\n## **Do you** do [SEO](https://x.test)? ##\n\nSome.\n\n## Hosting\n\nAgain.\n');
    expect(sections.map((s) => [s.id, s.heading])).toEqual([
      ['faq.md#hosting', 'Hosting'],
      ['faq.md#do-you-do-seo', 'Do you do SEO?'],
      ['faq.md#hosting-2', 'Hosting'],
    ]);
  });

  it('reads CRLF files and a byte order mark the same way', () => {
    expect(splitSections('a.md', '\uFEFF# Title\r\n\r\nBody\r\n')).toEqual([{ id: 'a.md#title', file: 'a.md', heading: 'Title', parents: [], text: 'Body' }]);
  });
});
