import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../store/durable/group-commit.js';

/** A write that records each call's items and finishes when told to. */
function recordingWrite(fail?: (items: string[]) => boolean) {
  const calls: string[][] = [];
  const finish: (() => void)[] = [];
  const write = (items: string[]) => {
    calls.push(items);
    return new Promise<string[]>((resolve, reject) =>
      finish.push(() => (fail?.(items) ? reject(new Error(`refused ${items.join(',')}`)) : resolve(items.map((item) => item.toUpperCase())))),
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
