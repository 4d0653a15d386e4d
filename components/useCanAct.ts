'use client';
// Whether the signed-in user may act (officer or supervisor), from GET /api/auth/me. The server
// decides again on every change; this only hides what a viewer could not do anyway.
import { useEffect, useState } from 'react';
import { getJson } from './getJson';

export function useCanAct(): boolean {
  const [canAct, setCanAct] = useState(false);
  useEffect(() => {
    getJson<{ user: { role: string } }>('/api/auth/me').then(
      (me) => setCanAct(me.user.role === 'officer' || me.user.role === 'supervisor'),
      () => setCanAct(false),
    );
  }, []);
  return canAct;
}
