import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeClassifier, encodeClassifier, trainClassifier, trainClassifierCached, trainingKey } from '../../../intents/offline/index.js';
import { OfflineUnderstander } from '../../../intents/index.js';
import { HAND_WRITTEN, PARAPHRASES, syntheticCatalog } from './fixtures.js';

const OPTIONS = { outOfScopeLabel: 'out_of_scope', seed: 1 };

describe('the trained model kept between starts', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sb-model-cache-'));
    file = path.join(dir, 'cache', 'intent-classifier.bin');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is trained and saved on the first start, loaded on the next, and predicts exactly as the trained one', () => {
    const first = trainClassifierCached(HAND_WRITTEN, OPTIONS, file);
    expect(first.source).toBe('trained');
    expect(first.saveError).toBeUndefined();
    const second = trainClassifierCached(HAND_WRITTEN, OPTIONS, file);
    expect(second.source).toBe('loaded');
    for (const { text } of [...HAND_WRITTEN, ...PARAPHRASES, { text: 'what is the weather like' }, { text: '' }]) {
      expect(second.classifier.classify(text)).toEqual(first.classifier.classify(text));
    }
    expect(second.classifier.labels).toEqual(first.classifier.labels);
    expect(second.classifier.threshold).toBe(first.classifier.threshold);
  });

  it('keeps the hidden-layer networks of a large-set model too', () => {
    const examples = syntheticCatalog(8, 20);
    const trained = trainClassifier(examples, { ...OPTIONS, networks: 2, epochs: 2, hiddenUnits: 16 });
    const loaded = decodeClassifier(encodeClassifier(trained, 'k'), 'k')!;
    expect(loaded.parts.members.map((m) => m.name)).toEqual(['svm', 'network-1', 'network-2']);
    for (const { text } of examples.slice(0, 40)) expect(loaded.classify(text)).toEqual(trained.classify(text));
  });

  it('is trained again when the catalog changes (an example added, a label renamed) or the options do', () => {
    trainClassifierCached(HAND_WRITTEN, OPTIONS, file);
    const added = [...HAND_WRITTEN, { text: 'roll soarix-web out to the canary servers', label: 'deploy.create' }];
    const afterAdd = trainClassifierCached(added, OPTIONS, file);
    expect(afterAdd.source).toBe('trained');
    expect(afterAdd.classifier.classify('roll soarix-web out to the canary servers').label).toBe('deploy.create');
    expect(trainClassifierCached(added, OPTIONS, file).source).toBe('loaded');

    const renamed = added.map((e) => (e.label === 'build.start' ? { ...e, label: 'build.run' } : e));
    const afterRename = trainClassifierCached(renamed, OPTIONS, file);
    expect(afterRename.source).toBe('trained');
    expect(afterRename.classifier.labels).toContain('build.run');
    expect(afterRename.classifier.labels).not.toContain('build.start');

    expect(trainClassifierCached(renamed, { ...OPTIONS, seed: 2 }, file).source).toBe('trained');
    expect(trainingKey(renamed, OPTIONS)).not.toBe(trainingKey(renamed, { ...OPTIONS, seed: 2 }));
  });

  it.each([
    ['truncated', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2))],
    ['one byte of a weight flipped', (bytes: Buffer) => Buffer.from(bytes.map((b, i) => (i === bytes.length - 5 ? b ^ 0xff : b)))],
    ['not a model at all', () => Buffer.from('{"hello":"world"}')],
    ['empty', () => Buffer.alloc(0)],
  ])('a damaged file (%s) is ignored, the model trained again and the file rebuilt', (_name, damage) => {
    const good = trainClassifierCached(HAND_WRITTEN, OPTIONS, file);
    const original = readFileSync(file);
    writeFileSync(file, damage(original));
    const rebuilt = trainClassifierCached(HAND_WRITTEN, OPTIONS, file);
    expect(rebuilt.source).toBe('trained');
    expect(rebuilt.rejected).toBeTruthy();
    expect(rebuilt.classifier.classify('deploy soarix-web to production')).toEqual(good.classifier.classify('deploy soarix-web to production'));
    expect(readFileSync(file).equals(original)).toBe(true);
    expect(trainClassifierCached(HAND_WRITTEN, OPTIONS, file).source).toBe('loaded');
  });

  it('a folder that cannot be written still gives a trained model, and says it was not saved', () => {
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const result = trainClassifierCached(HAND_WRITTEN, OPTIONS, path.join(blocker, 'cache', 'model.bin'));
    expect(result.source).toBe('trained');
    expect(result.saveError).toBeTruthy();
    expect(result.classifier.classify('deploy soarix-web to production').label).toBe('deploy.create');
  });

  it('the understander on the real catalog: trained once, then loaded, with the same answers', async () => {
    const trained = OfflineUnderstander.train({ cacheFile: file });
    expect(trained.origin).toMatch(/^trained in \d+ ms; saved to /);
    expect(statSync(file).size).toBeGreaterThan(0);
    const loaded = OfflineUnderstander.train({ cacheFile: file });
    expect(loaded.origin).toMatch(/^loaded from .* in \d+ ms$/);
    const context = { now: Date.parse('2026-11-21T10:00:00Z'), timezone: 'UTC', apps: ['soarix-web'] };
    for (const text of ['deploy soarix-web to production', 'remind me to call acme tomorrow at 10', 'show my tasks', 'hello there']) {
      expect(await loaded.understand(text, context)).toEqual(await trained.understand(text, context));
    }
  });
});
