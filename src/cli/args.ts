import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

/** node:util parseArgs with errors that name the command, for one-line CLI messages. */
export function readArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError(`tessera ${command}: ${(error as Error).message}`);
  }
}

export function required(command: string, values: Record<string, unknown>, ...names: string[]): void {
  for (const name of names) if (values[name] === undefined) throw new UsageError(`tessera ${command}: --${name} is required`);
}

/**
 * A command's result that exits with a status other than 0 (its JSON is still printed): `tessera
 * invite` exits 1 when some rows failed.
 */
export class ExitStatus {
  constructor(
    readonly result: unknown,
    readonly code: number,
  ) {}
}
