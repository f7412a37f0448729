import { createContext, useContext } from 'react';
import type { GraphClient } from './client.ts';

export const GraphContext = createContext<GraphClient | null>(null);

export function useGraph(): GraphClient {
  const graph = useContext(GraphContext);
  if (!graph) throw new Error('useGraph outside GraphContext');
  return graph;
}
