import { createContext, useContext } from 'react';
import type { Access } from './loadAccess.ts';

export const AccessContext = createContext<Access | null>(null);

export function useAccess(): Access {
  const access = useContext(AccessContext);
  if (!access) throw new Error('useAccess outside AccessContext');
  return access;
}
