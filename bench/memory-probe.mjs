// Loaded into the benchmarked service by bench:memory (`node --expose-gc --import ./bench/memory-probe.mjs`),
// never by the service itself: on SIGUSR2 it writes the process's memory figures, before and after a full
// garbage collection, to $BENCH_MEMORY_PROBE_FILE, so RSS growth can be split into what the JS heap keeps
// (retained per conversation) and what is only allocated (heap head-room, malloc arenas).
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_PROBE_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    const before = process.memoryUsage();
    globalThis.gc?.();
    const after = process.memoryUsage();
    writeFileSync(file, JSON.stringify({ before, afterGc: after }));
  });
}
