import fc from 'fast-check';
import { MemorySaver } from '@langchain/langgraph';
import type { SerializerProtocol } from '@langchain/langgraph-checkpoint';
import { describe, expect, it, vi } from 'vitest';
import { CheckpointSerializer } from '../../../store/durable/checkpoint-serializer.js';

// LangGraph's own serializer (JsonPlusSerializer), as every checkpointer gets it by default.
const library = (new MemorySaver() as unknown as { serde: SerializerProtocol }).serde;
const serializer = new CheckpointSerializer(library);

/** Checkpoint-like values: JSON, with undefined inside objects and arrays (as xstate's snapshots have). */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constant(undefined)),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 4 })),
})).node;

describe('CheckpointSerializer', () => {
  it('reads back what LangGraph wrote exactly as LangGraph reads it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 6 }), value, { maxKeys: 6 }), async (checkpoint) => {
        const [type, bytes] = await serializer.dumpsTyped(checkpoint);
        expect(await serializer.loadsTyped(type, bytes)).toStrictEqual(await library.loadsTyped(type, bytes));
      }),
      { numRuns: 300 },
    );
  });

  it("reads an agent checkpoint's undefined values as undefined, without the library", async () => {
    const snapshot = { status: 'active', output: undefined, error: undefined, value: 'awaitingConfirmation', context: { note: null, list: [1, undefined] } };
    const [type, bytes] = await serializer.dumpsTyped({ channel_values: { activeDialog: { snapshot } } });
    expect(new TextDecoder().decode(bytes)).toContain('{"lc":2,"type":"undefined"}');
    const loads = vi.spyOn(library, 'loadsTyped');
    try {
      const read = (await serializer.loadsTyped(type, bytes)) as { channel_values: { activeDialog: { snapshot: typeof snapshot } } };
      expect(read.channel_values.activeDialog.snapshot).toStrictEqual(snapshot);
      expect('output' in read.channel_values.activeDialog.snapshot).toBe(true);
      expect(loads).not.toHaveBeenCalled();
    } finally {
      loads.mockRestore();
    }
  });

  it('leaves Sets, Maps and other serialized records to the library', async () => {
    const [type, bytes] = await serializer.dumpsTyped({ seen: new Set(['a', 'b']), byId: new Map([['x', 1]]), note: undefined });
    const read = (await serializer.loadsTyped(type, bytes)) as { seen: Set<string>; byId: Map<string, number>; note: undefined };
    expect(read.seen).toEqual(new Set(['a', 'b']));
    expect(read.byId).toEqual(new Map([['x', 1]]));
    expect('note' in read && read.note === undefined).toBe(true);
  });

  it('passes bytes through to the library and fails on broken JSON as it does', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(await serializer.loadsTyped('bytes', bytes)).toBe(await library.loadsTyped('bytes', bytes));
    await expect(serializer.loadsTyped('json', '{"a":')).rejects.toThrow(SyntaxError);
  });
});
