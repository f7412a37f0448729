/**
 * The child side of the bench's IPC channel (see Child in processes.ts): requests arrive as
 * `{ id, type, ... }` and are answered `{ id, result }` or `{ id, error }`. A child ends when the
 * runner goes away, so an interrupted run leaves no process behind.
 */
type Handler = (message: Record<string, unknown>) => Promise<unknown> | unknown;

export function serveRequests(handlers: Record<string, Handler>): void {
  if (!process.send) throw new Error('this bench process must be started by the runner (it needs an IPC channel)');
  process.on('message', (message: Record<string, unknown>) => {
    const id = message.id;
    const handler = handlers[String(message.type)];
    void (async () => {
      try {
        if (!handler) throw new Error(`unknown request '${String(message.type)}'`);
        process.send!({ id, result: await handler(message) });
      } catch (error) {
        process.send!({ id, error: (error as Error)?.stack ?? String(error) });
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
}

export function announce(message: Record<string, unknown>): void {
  process.send?.(message);
}
