/**
 * The deal pipeline: stages in order, from CRM_PIPELINE. The last two close a deal (won, then lost);
 * the ones before are open. Default: lead → qualified → proposal → negotiation → won | lost.
 */
export class Pipeline {
  static readonly DEFAULT = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;

  readonly stages: readonly string[];

  constructor(stages: readonly string[] = Pipeline.DEFAULT) {
    const clean = stages.map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (clean.length < 3 || new Set(clean).size !== clean.length) {
      throw new Error('A CRM pipeline needs at least three distinct stages, the last two being won and lost');
    }
    this.stages = clean;
  }

  get first(): string {
    return this.stages[0]!;
  }

  get won(): string {
    return this.stages.at(-2)!;
  }

  get lost(): string {
    return this.stages.at(-1)!;
  }

  isClosed(stage: string): boolean {
    return stage === this.won || stage === this.lost;
  }

  /**
   * The stage a person means: its name or a common way to say it ("proposal sent" → proposal,
   * "signed", "closed" → won, "dead" → lost). Undefined when none fits.
   */
  stageFor(words: string): string | undefined {
    const text = words.trim().toLowerCase();
    const exact = this.stages.find((s) => text === s || new RegExp(`\\b${escape(s)}\\b`).test(text));
    if (exact) return exact;
    if (/\b(signed|closed|won|win|deal done|accepted|yes from)\b/.test(text)) return this.won;
    if (/\b(lost|dead|declined|rejected|no go|passed|went elsewhere|cancel+ed)\b/.test(text)) return this.lost;
    const partial = this.stages.find((s) => s.length >= 4 && text.includes(s.slice(0, Math.max(4, s.length - 3))));
    return partial;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
