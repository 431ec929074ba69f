import { WebchatChannel } from '../../../channels/webchat/index.js';
import type { OutboundMessage } from '../../../channels/index.js';
import { SystemClock } from '../../../core/clock.js';
import { MemoryHotStore } from '../../../store/hot/memory-hot-store.js';
import { channelAdapterContract } from '../channel-adapter.contract.js';

channelAdapterContract(
  'webchat',
  async () => {
    const hot = new MemoryHotStore(new SystemClock());
    const adapter = new WebchatChannel(hot);
    const received: OutboundMessage[] = [];
    const unsubscribe = await adapter.subscribe('web-contract', (message) => received.push(message));
    return {
      adapter,
      conversation: 'web-contract',
      received: () => received.map((message) => message.text),
      givesMessageId: false,
      media: async (size) => ({ kind: 'voice', fileRef: adapter.storeUpload(Buffer.alloc(size, 1), 'audio/wav') }),
      close: async () => {
        await unsubscribe();
        await hot.close();
      },
    };
  },
  { webhook: false },
);
