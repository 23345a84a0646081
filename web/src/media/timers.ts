import type { Clock, TimerHandle } from './clock.ts';

/** Named one-shot timers: setting a name again replaces its timer. */
export type Timers<Name extends string> = {
  set(name: Name, ms: number, run: () => void): void;
  clear(name: Name): void;
  clearAll(): void;
  has(name: Name): boolean;
};

export function createTimers<Name extends string>(clock: Clock): Timers<Name> {
  const handles = new Map<Name, TimerHandle>();
  const clear = (name: Name) => {
    const handle = handles.get(name);
    if (handle !== undefined) clock.clearTimeout(handle);
    handles.delete(name);
  };
  return {
    set(name, ms, run) {
      clear(name);
      handles.set(
        name,
        clock.setTimeout(() => {
          handles.delete(name);
          run();
        }, ms),
      );
    },
    clear,
    clearAll() {
      for (const name of [...handles.keys()]) clear(name);
    },
    has: (name) => handles.has(name),
  };
}
