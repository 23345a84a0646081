import type { SourceKind } from './types.ts';

/** The one stream a participant is played from. */
export type Playing = { participantId: string; source: SourceKind; stream: MediaStream };

export type RegistryChange =
  | { type: 'added'; playing: Playing }
  | { type: 'updated'; playing: Playing; previous: Playing }
  | { type: 'removed'; participantId: string };

/**
 * Which source each remote participant is played from. `apply` takes the full desired state and
 * returns the changes in a safe order: removals first, then switches, then additions, so a
 * relay slot's track handed from one participant to another is never played for both.
 */
export class RemoteRegistry {
  readonly #playing = new Map<string, Playing>();

  get(participantId: string): Playing | undefined {
    return this.#playing.get(participantId);
  }

  all(): Playing[] {
    return [...this.#playing.values()];
  }

  apply(desired: ReadonlyMap<string, Playing>): RegistryChange[] {
    const removed: RegistryChange[] = [];
    const updated: RegistryChange[] = [];
    const added: RegistryChange[] = [];
    for (const participantId of [...this.#playing.keys()]) {
      if (desired.has(participantId)) continue;
      this.#playing.delete(participantId);
      removed.push({ type: 'removed', participantId });
    }
    for (const [participantId, playing] of desired) {
      const previous = this.#playing.get(participantId);
      if (previous?.source === playing.source && previous.stream === playing.stream) continue;
      this.#playing.set(participantId, playing);
      if (previous) updated.push({ type: 'updated', playing, previous });
      else added.push({ type: 'added', playing });
    }
    return [...removed, ...updated, ...added];
  }
}
