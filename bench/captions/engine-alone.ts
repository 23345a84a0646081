import { createPocketsphinxEngine } from '../../server/captions/pocketsphinx/pocketsphinx-engine.ts';
import { ENGINE_SAMPLE_RATE } from '../../server/captions/speech-engine.ts';
import { reapedChildrenCpuSeconds } from './cpu.ts';

const CHUNK_MS = 20;

/**
 * The physical floor: the engine fed the same speech (16 kHz, no Opus, no network) at real-time
 * pace in 20 ms chunks. Latency is a final's arrival after the moment its last word was written.
 */
export async function engineAlone(speech: Int16Array) {
  const latencies: number[] = [];
  const finals: string[] = [];
  const cpuBefore = reapedChildrenCpuSeconds();
  let startedAt = 0;
  const stream = await createPocketsphinxEngine().open((segment) => {
    if (!segment.final) return;
    finals.push(segment.text);
    latencies.push(performance.now() - (startedAt + segment.endMs));
  });
  const chunk = (ENGINE_SAMPLE_RATE * CHUNK_MS) / 1000;
  startedAt = performance.now();
  for (let written = 0; written < speech.length; written += chunk) {
    const due = startedAt + (written / ENGINE_SAMPLE_RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    stream.write(speech.slice(written, written + chunk));
  }
  await stream.end();
  const cpuSeconds = reapedChildrenCpuSeconds() - cpuBefore;
  return { latencies, finals, cpuSeconds, audioSeconds: speech.length / ENGINE_SAMPLE_RATE };
}
