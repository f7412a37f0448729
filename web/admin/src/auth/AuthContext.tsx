import { createContext, useContext } from 'react';
import type { AuthSession } from './session.ts';

export const AuthContext = createContext<AuthSession | null>(null);

export function useAuth(): AuthSession {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthContext');
  return auth;
}
