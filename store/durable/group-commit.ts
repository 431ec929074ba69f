import { StoreError } from '../../core/index.js';

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes made while an earlier one is in flight wait for it and then go together, in the
 * order they were made, in one call of `write` (at most `maxGroup` items). A write alone goes at once,
 * so a quiet service pays nothing; under load, turns of many conversations share one statement instead
 * of queueing for a connection with one each. `write` gets the items and answers one result per item,
 * in their order. When a group's write fails, each of its items is written again alone, so one bad item
 * fails only its own caller; but when the store is away (StoreError) no item is at fault, and the whole
 * group fails at once rather than waiting out one connection bound per item.
 *
 * @example
 * const marks = new GroupCommit<string>((ids) => db.query('UPDATE t SET done = true WHERE id = ANY($1)', [ids]).then(() => ids.map(() => undefined)));
 * await marks.add(id);
 */
export class GroupCommit<T, R = void> {
  private readonly waiting: Pending<T, R>[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxGroup = 200,
  ) {}

  /** Resolves with the item's result once its group is written. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.writing || this.waiting.length === 0) return;
    this.writing = true;
    const group = this.waiting.splice(0, this.maxGroup);
    void this.writeGroup(group).finally(() => {
      this.writing = false;
      this.next();
    });
  }

  private async writeGroup(group: Pending<T, R>[]): Promise<void> {
    try {
      const results = await this.write(group.map((pending) => pending.item));
      group.forEach((pending, i) => pending.resolve(results[i]!));
    } catch (error) {
      if (group.length === 1 || error instanceof StoreError) return group.forEach((pending) => pending.reject(error));
      for (const pending of group) {
        await this.write([pending.item]).then(([result]) => pending.resolve(result!), pending.reject);
      }
    }
  }
}
