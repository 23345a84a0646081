import type { ServerResponse } from 'node:http';

/**
 * Holds an address's refusals back for a moment before sending them, as nginx's `limit_req`
 * delays excess requests: a client that retries as soon as it is refused then waits, and a
 * flood from one address costs one timer per connection instead of a request each time the
 * server answers. Past `perAddress` held answers, more are sent at once (a client opening
 * connections without waiting must not hold memory here without bound).
 */
export function createRefusalHold(holdMs: number, perAddress: number) {
  const held = new Map<string, number>();
  const release = (address: string) => {
    const count = (held.get(address) ?? 1) - 1;
    if (count > 0) held.set(address, count);
    else held.delete(address);
  };

  return {
    /** Runs `answer` after the hold, or at once; never once the client has gone. */
    hold(address: string, res: ServerResponse, answer: () => void) {
      const count = held.get(address) ?? 0;
      if (count >= perAddress) return answer();
      held.set(address, count + 1);
      const gone = () => {
        clearTimeout(timer);
        release(address);
      };
      const timer = setTimeout(() => {
        res.off('close', gone);
        release(address);
        answer();
      }, holdMs);
      timer.unref();
      res.once('close', gone);
    },
  };
}

export type RefusalHold = ReturnType<typeof createRefusalHold>;
