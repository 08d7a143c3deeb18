import { useCallback, useEffect, useRef, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile (no flicker on refresh). */
  reload(): Promise<void>;
}

/** Loads something when its key changes; a late answer for an old key is dropped. */
export function useResource<T>(key: string | null, load: () => Promise<T>): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(key !== null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const currentKey = useRef(key);
  currentKey.current = key;

  const reload = useCallback(async () => {
    const startedFor = currentKey.current;
    if (startedFor === null) return;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (currentKey.current !== startedFor) return;
      setData(value);
      setError(null);
    } catch (caught) {
      if (currentKey.current !== startedFor) return;
      setError(caught as Error);
    } finally {
      if (currentKey.current === startedFor) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setData(undefined);
    setError(null);
    void reload();
  }, [key, reload]);

  return { data, error, loading, reload };
}
