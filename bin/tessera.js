#!/usr/bin/env node
// The `tessera` command: runs the TypeScript sources through tsx's loader (Node 24; see README).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
