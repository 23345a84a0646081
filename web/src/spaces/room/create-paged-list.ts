import { type Accessor, createEffect, createSignal, on } from 'solid-js';

export type Page<T> = { nodes: readonly T[]; hasNextPage: boolean; endCursor: string | null };

export type FetchPage<T> = (after: string | null, first: number) => Promise<Page<T>>;

/**
 * A Relay connection read page by page. When `version` changes (the space changed), the pages
 * read so far are read again in one request, so the list stays as long as it was and nothing
 * jumps; answers to superseded requests are dropped.
 */
export function createPagedList<T extends { id: string }>(
  fetchPage: FetchPage<T>,
  options: { pageSize: number; version?: Accessor<number> },
) {
  const [items, setItems] = createSignal<readonly T[]>([]);
  const [hasMore, setHasMore] = createSignal(false);
  const [loading, setLoading] = createSignal(true);
  const [failed, setFailed] = createSignal(false);
  let cursor: string | null = null;
  let request = 0;

  const read = async (after: string | null, first: number, append: boolean) => {
    const mine = ++request;
    setLoading(true);
    try {
      const page = await fetchPage(after, first);
      if (mine !== request) return;
      setFailed(false);
      if (append) {
        const seen = new Set(items().map((item) => item.id));
        setItems([...items(), ...page.nodes.filter((node) => !seen.has(node.id))]);
      } else {
        setItems(page.nodes);
      }
      cursor = page.endCursor;
      setHasMore(page.hasNextPage);
    } catch {
      if (mine === request) setFailed(true);
    } finally {
      if (mine === request) setLoading(false);
    }
  };

  const reload = () => read(null, Math.max(options.pageSize, items().length), false);
  void reload();
  if (options.version) createEffect(on(options.version, () => void reload(), { defer: true }));

  return {
    items,
    hasMore,
    loading,
    failed,
    loadMore: () => read(cursor, options.pageSize, true),
    reload,
    /**
     * Shows an item's new state where it is; a new item goes at the end, once the list has been
     * read to its end (before that, the next page brings it).
     */
    put(item: T) {
      const index = items().findIndex((other) => other.id === item.id);
      if (index >= 0) setItems(items().map((other, i) => (i === index ? item : other)));
      else if (!hasMore() && !loading()) setItems([...items(), item]);
    },
    remove(id: string) {
      if (items().some((item) => item.id === id)) {
        setItems(items().filter((item) => item.id !== id));
      }
    },
  };
}
