// Imported first by src/main.ts (ESM evaluates imports in order, and the bundle keeps that order): the
// server and the CLI run with NODE_ENV=production unless the environment says otherwise, so React
// (loaded later, by the pages) picks its production build. Tests set NODE_ENV=test or leave
// it to the test runner; an explicit value, even an empty one, is kept.
if (process.env.NODE_ENV === undefined) process.env.NODE_ENV = 'production';

export {};
