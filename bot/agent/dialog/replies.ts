import type { ReplyDraft } from '../../../channels/index.js';

/** The replies of one turn, in order. */
export class Replies {
  readonly drafts: ReplyDraft[];
  /** Starts from the replies earlier steps of the turn added ("I heard: …"). */
  constructor(earlier: readonly ReplyDraft[] = []) {
    this.drafts = [...earlier];
  }
  push(text: string, buttons?: ReplyDraft['buttons']): void {
    this.drafts.push(buttons ? { text, buttons } : { text });
  }
}
