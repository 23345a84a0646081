// Prisma's WebAssembly schema engine leaves 10 s and 60 s timers that keep the CLI alive.
const { setTimeout: originalSetTimeout } = globalThis;
globalThis.setTimeout = (fn, ms, ...args) => {
  const timer = originalSetTimeout(fn, ms, ...args);
  if (typeof ms === 'number' && ms >= 10_000) timer.unref?.();
  return timer;
};
