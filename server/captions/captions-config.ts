import {
  createPocketsphinxEngine,
  type PocketsphinxOptions,
} from './pocketsphinx/pocketsphinx-engine.ts';
import type { SpeechEngine } from './speech-engine.ts';

export type CaptionsConfig = {
  /** The speech-to-text engine; 'off' disables captions. @default 'pocketsphinx' */
  engine: 'pocketsphinx' | 'off';
  /** Python and model paths for pocketsphinx; Debian's by default. */
  pocketsphinx: PocketsphinxOptions;
};

export const defaultCaptionsConfig: CaptionsConfig = { engine: 'pocketsphinx', pocketsphinx: {} };

/** The configured engine, or null when captions are off. Add other engines here. */
export function engineFrom(config: CaptionsConfig): SpeechEngine | null {
  if (config.engine === 'off') return null;
  return createPocketsphinxEngine(config.pocketsphinx);
}
