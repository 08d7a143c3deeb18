import { useCallback, useEffect, useState } from 'react';
import { useResource } from './use-resource.js';

export interface Page<T> {
  items: T[];
  /** The cursor of the next (older) page, or null at the end. */
  next: string | null;
}

/**
 * A newest-first list: the first page reloads (polling keeps it live), older pages are added on
 * request and kept while the first page refreshes. A new key (other filters) starts over.
 */
export function usePagedList<T extends { id: string }>(key: string, loadPage: (cursor: string | null) => Promise<Page<T>>) {
  const first = useResource(key, () => loadPage(null));
  const [older, setOlder] = useState<{ items: T[]; next: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error | null>(null);

  useEffect(() => {
    setOlder(null);
    setMoreError(null);
  }, [key]);

  const next = older ? older.next : (first.data?.next ?? null);
  const loadMore = useCallback(async () => {
    if (!next) return;
    setLoadingMore(true);
    try {
      const page = await loadPage(next);
      setOlder((current) => ({ items: [...(current?.items ?? []), ...page.items], next: page.next }));
      setMoreError(null);
    } catch (error) {
      setMoreError(error as Error);
    } finally {
      setLoadingMore(false);
    }
  }, [next, loadPage]);

  const firstItems = first.data?.items ?? [];
  const seen = new Set(firstItems.map((item) => item.id));
  const items = [...firstItems, ...(older?.items ?? []).filter((item) => !seen.has(item.id))];
  return {
    items,
    loaded: first.data !== undefined,
    loading: first.loading,
    error: first.error ?? moreError,
    reload: first.reload,
    hasMore: next !== null,
    loadingMore,
    loadMore,
  };
}
