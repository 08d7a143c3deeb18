import { useCallback, useState } from 'react';

export interface Action {
  busy: boolean;
  error: Error | null;
  /** Runs `work`, keeping `busy` and `error` up to date; resolves to undefined when it failed. */
  run<T>(work: () => Promise<T>): Promise<T | undefined>;
  clearError(): void;
}

/** A button's request: disabled while it runs, its error shown beside it. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (caught) {
      setError(caught as Error);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
