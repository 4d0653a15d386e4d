'use client';
// The browser's locale for dates and times (lib/format.ts browserLocale), read after hydration: the
// server cannot know it, and a `lang` the server did not write would not match the page it sent.
import { useSyncExternalStore } from 'react';
import { browserLocale } from '../lib/format';

const never = () => () => {};

/** undefined while hydrating (the element inherits the page language), then the browser's locale. */
export function useBrowserLocale(): string | undefined {
  return useSyncExternalStore(
    never,
    () => browserLocale(),
    () => undefined,
  );
}
