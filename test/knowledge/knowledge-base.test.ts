import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MIN_COVERAGE, DO_NOT_KNOW, KnowledgeBase, SAMPLE_KNOWLEDGE_DIR } from '../../knowledge/index.js';

const sample = new KnowledgeBase({ dir: SAMPLE_KNOWLEDGE_DIR });

describe('retrieval on the sample documents', () => {
  // Each question with the section that answers it; most are worded unlike the heading or the text.
  const TABLE: [string, string][] = [
    ['how much does a website cost?', 'prices.md#website-packages'],
    ["what's our refund policy?", 'policies.md#refund-policy'],
    ['can I get my deposit back if I cancel', 'policies.md#refund-policy'],
    ['what do you charge for a one page campaign site', 'prices.md#landing-page-price'],
    ['how much for a shopify store', 'prices.md#online-shop-prices'],
    ['do charities get a reduced price', 'prices.md#discounts'],
    ['can I pay in instalments', 'policies.md#payment-plans'],
    ['when are invoices due', 'policies.md#payment-terms'],
    ['how long will it take to build my site', 'faq.md#how-long-does-a-website-take'],
    ['can we schedule a meeting to talk about my project', 'faq.md#how-do-i-book-a-call'],
    ['do you make apps for android and iphone', 'services.md#mobile-apps'],
    ['how long does a domain transfer take', 'faq.md#can-you-register-my-domain'],
    ['whats ur refund polcy', 'policies.md#refund-policy'],
    ['are you gdpr compliant', 'policies.md#data-protection-and-privacy'],
  ];

  it.each(TABLE)('"%s" finds %s first', async (question, section) => {
    const [best] = await sample.search(question);
    expect(best?.id).toBe(section);
    expect(best!.coverage).toBeGreaterThanOrEqual(DEFAULT_MIN_COVERAGE);
  });

  it('holds its figures on the labelled questions (bench/knowledge.ts): the right section first and answered for 90%, three in four of the others not answered', async () => {
    const labelled = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'questions.json'), 'utf8')) as {
      inDocs: { q: string; sections: string[] }[];
      notInDocs: string[];
    };
    let rightFirst = 0;
    let answeredRight = 0;
    for (const { q, sections } of labelled.inDocs) {
      const [best] = await sample.search(q);
      const right = best !== undefined && sections.includes(best.id);
      if (right) rightFirst++;
      if (right && sample.answers(best)) answeredRight++;
    }
    const wronglyAnswered = (await Promise.all(labelled.notInDocs.map(async (q) => sample.answers((await sample.search(q))[0])))).filter(Boolean).length;
    expect(rightFirst / labelled.inDocs.length).toBeGreaterThanOrEqual(0.95);
    expect(answeredRight / labelled.inDocs.length).toBeGreaterThanOrEqual(0.9);
    // Measured 80%: words the documents use in another sense ("office" hours for "parking at your office") still match.
    expect(1 - wronglyAnswered / labelled.notInDocs.length).toBeGreaterThanOrEqual(0.75);
  });
});

describe('offline answers', () => {
  it('quotes the best passage and names its file and heading', async () => {
    const answer = await sample.answer('how much is a landing page?');
    expect(answer).toMatchObject({ answered: true, offerPerson: false, via: 'quote', sources: ['prices.md › Landing page price'] });
    expect(answer.text).toBe(
      'A landing page costs £1,200 with one round of revisions, or £1,800 with A/B test variants and analytics goals set up. ' +
        'Turnaround is 5 to 10 working days from the day we have your copy and images.\nSource: prices.md › Landing page price',
    );
  });

  it.each(['do you manage social media accounts', 'what insurance do you have', 'who is the CEO', "what's the capital of France", 'do you work on weekends'])(
    'does not know "%s" and offers a person',
    async (question) => {
      const answer = await sample.answer(question);
      expect(answer).toEqual({ text: DO_NOT_KNOW, sources: [], cited: [], answered: false, offerPerson: true, via: 'none' });
      expect(answer.text).toContain('I can ask someone from the team to get back to you');
    },
  );

  it('does not know anything from a folder that does not exist', async () => {
    const answer = await new KnowledgeBase({ dir: path.join(tmpdir(), 'sb-kb-nowhere', 'missing') }).answer('how much is a website');
    expect(answer.answered).toBe(false);
  });
});

describe('re-indexing when the documents change', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sb-kb-'));
    await cp(SAMPLE_KNOWLEDGE_DIR, dir, { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('answers from a file added, an edit, and forgets a file removed, from the next question on', async () => {
    const kb = new KnowledgeBase({ dir });
    expect((await kb.answer('what insurance do you have')).answered).toBe(false);

    await writeFile(path.join(dir, 'office.md'), '# Company\n\n## Insurance\n\nWe have professional indemnity insurance of £1m.\n');
    const added = await kb.answer('what insurance do you have');
    expect(added).toMatchObject({ answered: true, sources: ['office.md › Insurance'] });
    expect(added.text).toContain('insurance of £1m');

    // Same size, new content and a new modification time: still noticed.
    await writeFile(path.join(dir, 'office.md'), '# Company\n\n## Insurance\n\nWe have professional indemnity insurance of £2m.\n');
    await utimes(path.join(dir, 'office.md'), new Date(), new Date(Date.now() + 5_000));
    expect((await kb.answer('what insurance do you have')).text).toContain('insurance of £2m');

    await unlink(path.join(dir, 'office.md'));
    expect((await kb.answer('what insurance do you have')).answered).toBe(false);
  });

  it('checks without rebuilding when nothing changed, and reads sub-folders but not dot folders', async () => {
    const kb = new KnowledgeBase({ dir });
    expect(await kb.index.refresh()).toBe(true);
    expect(await kb.index.refresh()).toBe(false);
    await mkdir(path.join(dir, '.drafts'));
    await mkdir(path.join(dir, 'team'));
    await cp(path.join(dir, 'faq.md'), path.join(dir, '.drafts', 'faq.md'));
    await writeFile(path.join(dir, 'notes.txt'), 'not markdown');
    await cp(path.join(dir, 'faq.md'), path.join(dir, 'team', 'faq-copy.md'));
    expect(await kb.index.refresh()).toBe(true);
    expect(kb.index.files).toEqual(['faq.md', 'policies.md', 'prices.md', 'services.md', 'team/faq-copy.md']);
  });
});

describe('a folder that cannot be read', () => {
  it('answers from the last index and says why in the log', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sb-kb-'));
    try {
      await writeFile(path.join(dir, 'faq.md'), '# FAQ\n\n## Parking\n\nFree parking behind the studio.\n');
      const warnings: unknown[] = [];
      const kb = new KnowledgeBase({ dir, logger: { warn: (details) => warnings.push(details) } });
      expect((await kb.answer('where can I park?')).answered).toBe(true);
      await rm(dir, { recursive: true });
      await writeFile(dir, 'now a file');
      expect((await kb.answer('where can I park?')).text).toContain('Free parking');
      expect(warnings).toEqual([{ code: 'ENOTDIR' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
