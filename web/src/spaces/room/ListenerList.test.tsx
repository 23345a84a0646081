import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SpaceParticipant } from './create-space-live.ts';
import { ListenerList } from './ListenerList.tsx';

afterEach(cleanup);

const listener = (n: number): SpaceParticipant => ({
  id: `p${n}`,
  role: 'LISTENER',
  muted: true,
  handRaised: n === 2,
  invitedToSpeak: false,
  invitedAs: null,
  user: { id: `u${n}`, handle: `l${n}`, displayName: `Listener ${n}`, avatarUrl: null },
});

/** A server with `total` listeners, paged by index cursors like a Relay connection. */
function server(total: () => number) {
  return vi.fn(async (after: string | null, first: number) => {
    const start = after === null ? 0 : Number(after);
    const all = Array.from({ length: total() }, (_, i) => listener(i + 1));
    const nodes = all.slice(start, start + first);
    return {
      nodes,
      hasNextPage: start + first < all.length,
      endCursor: String(start + nodes.length),
    };
  });
}

const names = () => screen.queryAllByTestId('listener').map((row) => row.dataset['handle']);

describe('ListenerList', () => {
  it('reads listeners page by page with "Show more"', async () => {
    const fetchPage = server(() => 5);
    render(() => <ListenerList fetchPage={fetchPage} total={5} pageSize={2} />);
    await vi.waitFor(() => expect(names()).toEqual(['l1', 'l2']));
    expect(screen.getByRole('img', { name: 'Hand raised' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Show more listeners' }));
    await vi.waitFor(() => expect(names()).toEqual(['l1', 'l2', 'l3', 'l4']));
    expect(fetchPage).toHaveBeenLastCalledWith('2', 2);
    fireEvent.click(screen.getByRole('button', { name: 'Show more listeners' }));
    await vi.waitFor(() => expect(names()).toEqual(['l1', 'l2', 'l3', 'l4', 'l5']));
    expect(screen.queryByRole('button', { name: 'Show more listeners' })).toBeNull();
  });

  it('re-reads as many as it shows when the space changes, so the list does not shrink', async () => {
    const [total, setTotal] = createSignal(5);
    const [version, setVersion] = createSignal(0);
    const fetchPage = server(total);
    render(() => (
      <ListenerList fetchPage={fetchPage} version={version} total={total()} pageSize={2} />
    ));
    await vi.waitFor(() => expect(names()).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Show more listeners' }));
    await vi.waitFor(() => expect(names()).toHaveLength(4));
    setTotal(6);
    setVersion(1);
    await vi.waitFor(() => expect(fetchPage).toHaveBeenLastCalledWith(null, 4));
    await vi.waitFor(() => expect(names()).toEqual(['l1', 'l2', 'l3', 'l4']));
    expect(screen.getByRole('button', { name: 'Show more listeners' })).toBeTruthy();
  });

  it('says when nobody is listening', async () => {
    render(() => <ListenerList fetchPage={server(() => 0)} total={0} />);
    await vi.waitFor(() => expect(screen.getByText('No one is listening yet.')).toBeTruthy());
  });
});
