'use client';
// What the people-and-devices admin pages share: a state-changing call with the CSRF header, and a
// list loaded from the API with its error (the server's reason, shown as it is).
import { useCallback, useEffect, useState } from 'react';
import { getJson } from '../getJson';
import { csrfToken } from '../UserBox';

/** POST/PATCH/DELETE `path` with a JSON body; an error answer throws with the server's reason. */
export function adminCall<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  return getJson<T>(path, {
    method,
    headers: { 'x-csrf-token': csrfToken(), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** A list from `url`, loaded at once and on `reload()`. */
export function useAdminList<T>(url: string): { items: T[] | null; error: string | null; setError: (e: string | null) => void; reload: () => Promise<void> } {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setItems(await getJson<T[]>(url));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [url]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { items, error, setError, reload };
}
