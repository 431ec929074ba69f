/** A piece of a note: samples [start, end). */
export interface AudioChunk {
  start: number;
  end: number;
}

export interface SplitOptions {
  /**
   * How far before each boundary to look for a quiet point (default 2 s: the "±1 s" around a boundary,
   * moved entirely before it, because the chunk length is a provider limit that must not be passed).
   * Never more than half a chunk, so every chunk but the last is at least half the chunk length.
   */
  searchSeconds?: number;
  /** Length of the energy window (default 20 ms, hop 10 ms). */
  frameSeconds?: number;
}

/**
 * Splits a note longer than `chunkSeconds` into chunks no longer than `chunkSeconds`, cutting each at
 * the quietest 20 ms (lowest RMS energy) in the `searchSeconds` before the boundary, so a cut falls
 * between words rather than through one. Among equally quiet frames the latest wins (longer chunks,
 * fewer requests).
 *
 * @example
 * splitIntoChunks(pcm, 16_000, 600); // [{ start: 0, end: 9_581_120 }, { start: 9_581_120, end: … }]
 */
export function splitIntoChunks(pcm: Int16Array, sampleRate: number, chunkSeconds: number, options: SplitOptions = {}): AudioChunk[] {
  const chunkSamples = Math.floor(chunkSeconds * sampleRate);
  if (chunkSamples <= 0) throw new RangeError(`chunkSeconds must be positive (got ${chunkSeconds})`);
  const search = Math.min(Math.round((options.searchSeconds ?? 2) * sampleRate), Math.floor(chunkSamples / 2));
  const frame = Math.max(1, Math.round((options.frameSeconds ?? 0.02) * sampleRate));
  const hop = Math.max(1, Math.floor(frame / 2));
  const chunks: AudioChunk[] = [];
  let start = 0;
  while (pcm.length - start > chunkSamples) {
    const limit = start + chunkSamples;
    const cut = quietestPoint(pcm, Math.max(start + 1, limit - search), limit, frame, hop);
    chunks.push({ start, end: cut });
    start = cut;
  }
  chunks.push({ start, end: pcm.length });
  return chunks;
}

/** The centre of the lowest-energy frame lying inside [from, to]; `to` itself when the window is too short. */
function quietestPoint(pcm: Int16Array, from: number, to: number, frame: number, hop: number): number {
  if (to - from < frame) return to;
  let best = to;
  let bestEnergy = Infinity;
  for (let p = from; p + frame <= to; p += hop) {
    let energy = 0;
    for (let i = p; i < p + frame; i++) energy += pcm[i]! * pcm[i]!;
    if (energy <= bestEnergy) {
      bestEnergy = energy;
      best = p + Math.floor(frame / 2);
    }
  }
  return best;
}
