import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, errorText } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  reload: () => Promise<void>;
}

/**
 * GETs `path` when the component mounts or `path` changes, and again every `pollMs` when given (the
 * live lists). A failed poll keeps the last data and shows the error.
 */
export function useApi<T>(path: string | null, pollMs?: number): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    if (path === null) return;
    try {
      setData(await api<T>('GET', path));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [path]);
  useEffect(() => {
    void reload();
    if (!pollMs) return;
    const timer = setInterval(() => void reload(), pollMs);
    return () => clearInterval(timer);
  }, [reload, pollMs]);
  return { data, error, reload };
}
