type Handler<T> = (payload: T) => void;

/** A typed event emitter: `on` returns the unsubscribe function. */
export type Emitter<Events extends Record<string, unknown>> = {
  on<K extends keyof Events>(event: K, handler: Handler<Events[K]>): () => void;
  emit<K extends keyof Events>(event: K, payload: Events[K]): void;
  clear(): void;
};

export function createEmitter<Events extends Record<string, unknown>>(
  onHandlerError: (error: unknown) => void = (error) => console.error(error),
): Emitter<Events> {
  const handlers = new Map<keyof Events, Set<Handler<never>>>();
  return {
    on(event, handler) {
      const set = handlers.get(event) ?? new Set();
      set.add(handler);
      handlers.set(event, set);
      return () => set.delete(handler);
    },
    emit(event, payload) {
      // A copy, so a handler that unsubscribes while we iterate does not skip the next one.
      for (const handler of [...(handlers.get(event) ?? [])]) {
        try {
          (handler as Handler<typeof payload>)(payload);
        } catch (error) {
          // A faulty UI handler must not break the media state machine that emitted.
          onHandlerError(error);
        }
      }
    },
    clear() {
      handlers.clear();
    },
  };
}
