import { ManualClock } from '../../../core/clock.js';
import { MemoryHotStore } from '../../../store/hot/memory-hot-store.js';
import { describeHotStoreContract } from './hot-store.contract.js';

describeHotStoreContract('memory', async () => {
  const clock = new ManualClock();
  const store = new MemoryHotStore(clock);
  return { store, advance: (ms) => clock.advance(ms), close: () => store.close() };
});
