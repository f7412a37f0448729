import type { Measurement } from './benchmark.ts';
import type { RunInfo } from './machine.ts';
import { fmt, SATURATED } from './measure.ts';

/**
 * How results read: one line per row on the console, and the results region of BENCHMARKS.md
 * (run header, the table, per-CPU figures). Pure functions of the rows, so they are tested alone.
 */
export interface BenchmarkResults {
  benchmark: string;
  title: string;
  run: RunInfo;
  settings: Record<string, unknown>;
  measurements: Measurement[];
}

export const REGION_START = '<!-- bench:results:start (written by `npm run bench`; edit outside this region) -->';
export const REGION_END = '<!-- bench:results:end -->';

export function verdict(row: Measurement): string {
  if (row.met === true) return 'met';
  if (row.met === false) return '**not met**';
  return row.note?.startsWith('skipped') ? 'skipped' : row.figure ? 'not claimed' : 'not measured';
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function ratioText(row: Measurement): string {
  if (row.ratio === null) return '—';
  return `${row.ratio.toFixed(2)}${row.details.ratioBasis === 'per server CPU-second' ? ' (per CPU-s)' : ''}`;
}

/** Warnings a reader needs beside the figure (a saturated load generator). */
export function warnings(row: Measurement): string[] {
  const out: string[] = [];
  for (const side of ['tessera', 'reference'] as const) {
    const share = (row.details[side] as { loadGeneratorCpuShare?: number } | undefined)?.loadGeneratorCpuShare;
    if (share !== undefined && share > SATURATED) out.push(`the load generator used ${Math.round(share * 100)} % of its core during the ${side} window: that rate may be capped by the load, not the server`);
  }
  return out;
}

/** One console line: figure beside reference and target, and the verdict in words. */
export function consoleLine(row: Measurement): string {
  const verdictText = (row.met === true ? 'met' : row.met === false ? 'NOT MET' : row.figure ? 'not claimed' : 'NOT MEASURED') + (row.note ? ` (${row.note})` : '');
  const parts = [row.label, `Tessera ${row.figure?.text ?? '—'}`];
  if (row.reference) parts.push(`reference ${row.reference.text}`);
  if (row.ratio !== null) parts.push(`ratio ${ratioText(row)}`);
  parts.push(`target ${row.target.text}`, verdictText);
  return [`  ${parts.join(' | ')}`, ...warnings(row).map((w) => `    warning: ${w}`)].join('\n');
}

function runHeader(run: RunInfo, settings: Record<string, unknown>): string {
  const m = run.machine;
  return [
    `- Date: ${run.date}`,
    `- Commit: ${run.commit}`,
    `- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB memory, Linux ${m.kernel}; Node ${run.node}`,
    `- Placement: ${run.pinning}`,
    `- Settings: ${Object.entries(settings)
      .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toLocaleString('en-US') : String(v)}`)
      .join(', ')}`,
  ].join('\n');
}

/** The results region: header of the newest run, the table, and the per-CPU-second view of the ratio rows. */
export function renderRegion(results: BenchmarkResults[]): string {
  if (results.length === 0) return `${REGION_START}\n\nNo results yet: run \`npm run bench\`.\n\n${REGION_END}`;
  const newest = results.reduce((a, b) => (a.run.date >= b.run.date ? a : b));
  const lines: string[] = [REGION_START, '', runHeader(newest.run, newest.settings), ''];
  lines.push('| Benchmark | Figure | Reference | Ratio | Target | Met? |', '|---|---|---|---|---|---|');
  const older = new Set<string>();
  for (const result of results) {
    const fromOtherRun = result.run.date !== newest.run.date;
    if (fromOtherRun) older.add(`${result.benchmark}: ${result.run.date}, commit ${result.run.commit}`);
    for (const row of result.measurements) {
      const label = `${row.label}${fromOtherRun ? ' †' : ''}`;
      const figure = row.figure ? row.figure.text : `— (${row.note ?? 'not measured'})`;
      const met = [verdict(row) + (row.figure && row.note ? ` (${row.note})` : ''), ...warnings(row)].join('; ');
      lines.push(`| ${cell(label)} | ${cell(figure)} | ${cell(row.reference?.text ?? '—')} | ${ratioText(row)} | ${cell(row.target.text)} | ${cell(met)} |`);
    }
  }
  if (older.size > 0) lines.push('', `† from an earlier run (${[...older].join('; ')}).`);

  const perCpu = results.flatMap((r) => r.measurements).filter((row) => row.ratio !== null && typeof row.details.ratioPerServerCpuSecond === 'number');
  if (perCpu.length > 0) {
    lines.push(
      '',
      'The same comparisons per server CPU-second (the load generator shares the machine, so this is the steadier view):',
      '',
      '| Benchmark | Tessera per CPU-s | Reference per CPU-s | Ratio per CPU-s | PostgreSQL CPU per request (Tessera; reference) | Tessera RSS peak |',
      '|---|---|---|---|---|---|',
    );
    type Side = { perServerCpuSecond: number; rssPeakMb: number; databaseCpuMsPerRequest?: number };
    for (const row of perCpu) {
      const tessera = row.details.tessera as Side;
      const reference = row.details.reference as Side;
      const db = tessera.databaseCpuMsPerRequest !== undefined ? `${fmt(tessera.databaseCpuMsPerRequest)} ms; ${reference.databaseCpuMsPerRequest !== undefined ? `${fmt(reference.databaseCpuMsPerRequest)} ms` : 'none'}` : '—';
      lines.push(`| ${cell(row.label)} | ${fmt(tessera.perServerCpuSecond)} | ${fmt(reference.perServerCpuSecond)} | ${fmt(row.details.ratioPerServerCpuSecond as number, 2)} | ${db} | ${fmt(tessera.rssPeakMb)} MB |`);
    }
  }
  lines.push('', REGION_END);
  return lines.join('\n');
}

/** Replaces the results region of BENCHMARKS.md (appending it when the file has none), keeping the prose around it. */
export function replaceRegion(markdown: string, region: string): string {
  const start = markdown.indexOf(REGION_START);
  const end = markdown.indexOf(REGION_END);
  if (start === -1 || end === -1 || end < start) return `${markdown.trimEnd()}\n\n${region}\n`;
  return `${markdown.slice(0, start)}${region}${markdown.slice(end + REGION_END.length)}`;
}
