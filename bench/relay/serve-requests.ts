import type { Replies, Reply, Request, ToPeers } from './protocol.ts';

/**
 * Answers the bench's requests over IPC with `handle`, and runs `onDisconnect` then exits when
 * the bench goes away: the loop of both peer processes (peers.ts, counting.ts).
 */
export function serveRequests(
  handle: (message: ToPeers) => Promise<Replies[ToPeers['type']]>,
  onDisconnect: () => void,
): void {
  const reply = (answer: Reply) => process.send?.(answer);
  process.on('message', (request: Request) => {
    handle(request).then(
      (value) => reply({ id: request.id, ok: true, value }),
      (error: unknown) =>
        reply({
          id: request.id,
          ok: false,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    );
  });
  process.on('disconnect', () => {
    onDisconnect();
    process.exit(0);
  });
}
