import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../core/index.js';
import { GroupCommit } from '../../../store/durable/group-commit.js';

/** A write that records each call's items and finishes when told to (failing with `failure` when `fail` says so). */
function recordingWrite(fail?: (items: string[]) => boolean, failure: (items: string[]) => Error = (items) => new Error(`refused ${items.join(',')}`)) {
  const calls: string[][] = [];
  const finish: (() => void)[] = [];
  const write = (items: string[]) => {
    calls.push(items);
    return new Promise<string[]>((resolve, reject) =>
      finish.push(() => (fail?.(items) ? reject(failure(items)) : resolve(items.map((item) => item.toUpperCase())))),
    );
  };
  const finishAll = async () => {
    while (finish.length) {
      finish.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { calls, write, finishAll };
}

describe('group commit', () => {
  it('writes an item alone at once, and the items made meanwhile together next, in order, each with its result', async () => {
    const { calls, write, finishAll } = recordingWrite();
    const group = new GroupCommit(write);
    const first = group.add('a');
    expect(calls).toEqual([['a']]);
    const rest = ['b', 'c', 'd'].map((item) => group.add(item));
    expect(calls).toHaveLength(1);
    await finishAll();
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
    expect(await first).toBe('A');
    expect(await Promise.all(rest)).toEqual(['B', 'C', 'D']);
  });

  it('puts at most maxGroup items in one write', async () => {
    const { calls, write, finishAll } = recordingWrite();
    const group = new GroupCommit(write, 2);
    const all = ['a', 'b', 'c', 'd', 'e'].map((item) => group.add(item));
    await finishAll();
    await Promise.all(all);
    expect(calls).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('when a group fails, writes each item alone: only the bad one fails its caller', async () => {
    const { calls, write, finishAll } = recordingWrite((items) => items.includes('bad'));
    const group = new GroupCommit(write);
    const first = group.add('a');
    const outcomes = ['b', 'bad', 'c'].map((item) => group.add(item).then((result) => result, (error: Error) => error.message));
    await finishAll();
    expect(await first).toBe('A');
    expect(await Promise.all(outcomes)).toEqual(['B', 'refused bad', 'C']);
    expect(calls).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });

  it('when the store is away, fails the whole group at once: no item is at fault, none is tried alone', async () => {
    const { calls, write, finishAll } = recordingWrite(() => true, () => new StoreError('the database is away', { store: 'durable' }));
    const group = new GroupCommit(write);
    const first = group.add('a').catch((error: unknown) => error);
    const outcomes = ['b', 'c', 'd'].map((item) => group.add(item).catch((error: unknown) => error));
    await finishAll();
    expect(await first).toBeInstanceOf(StoreError);
    for (const outcome of await Promise.all(outcomes)) expect(outcome).toBeInstanceOf(StoreError);
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('keeps going after a failure: the next items are written', async () => {
    const { write, finishAll } = recordingWrite((items) => items.includes('bad'));
    const group = new GroupCommit(write);
    const bad = group.add('bad').catch((error: Error) => error.message);
    await finishAll();
    expect(await bad).toBe('refused bad');
    const next = group.add('next');
    await finishAll();
    expect(await next).toBe('NEXT');
  });
});
