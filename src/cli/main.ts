import {
  dump,
  FlowError,
  formatDiagnostic,
  formatTraceText,
  hasErrors,
  trace,
  type Diagnostic,
  type FlowSpec,
  type Trace,
} from '../engine';
import type { ManifestFile } from '../manifests';
import { compareDataPlanes, simulate, variantFromId } from '../scenarios';
import { formatComparison } from './compare-text';
import { parseCommand, USAGE, UsageError, type Command } from './args';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): string;
  readStdin(): Promise<string>;
}

/** Exit status (DESIGN.md §4): 0 the command ran, 1 diagnostics with errors, 2 a usage error. */
export type ExitCode = 0 | 1 | 2;

async function load(files: string[], io: Io): Promise<ManifestFile[]> {
  const out: ManifestFile[] = [];
  for (const f of files) {
    if (f === '-') out.push({ name: '<stdin>', text: await io.readStdin() });
    else {
      try {
        out.push({ name: f, text: io.readFile(f) });
      } catch (e) {
        throw new UsageError(
          `cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
    }
  }
  return out;
}

function printDiagnostics(diags: readonly Diagnostic[], io: Io) {
  for (const d of diags) io.err(formatDiagnostic(d));
}

/** A URL destination: its host is pinned by --resolve, a client's hosts entry, or is an IP. */
function urlTarget(cmd: Extract<Command, { cmd: 'trace' }>): FlowSpec {
  const { flow } = cmd;
  if (flow.to.kind !== 'url' || Object.keys(cmd.resolve).length === 0) return flow;
  return { ...flow, resolve: cmd.resolve };
}

/**
 * `trace --json` as scripts have read it since URLs were first accepted: a URL destination's
 * `flow.to` is the `ip` endpoint HOST resolved to; the URL itself is the added `flow.url`
 * (the engine's own FlowSpec holds the `url` endpoint; fields are only ever added).
 */
function asPublished(t: Trace): unknown {
  const to = t.flow.to;
  if (to.kind !== 'url' || !t.http) return t;
  const port = to.port ?? (to.scheme === 'https' ? 443 : 80);
  return {
    ...t,
    flow: { ...t.flow, to: { kind: 'ip', ip: t.http.resolved.ip, port }, url: to },
  };
}

export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  let cmd: Command;
  try {
    cmd = parseCommand(argv);
    if (cmd.cmd === 'help') {
      io.out(USAGE);
      return 0;
    }
    const sim = simulate(await load(cmd.files, io));
    printDiagnostics(
      cmd.cmd === 'check' ? [] : sim.diagnostics.filter((d) => d.severity !== 'info'),
      io,
    );
    if (cmd.cmd === 'check') {
      for (const d of sim.diagnostics) io.out(formatDiagnostic(d));
      return hasErrors(sim.diagnostics) ? 1 : 0;
    }
    if (!sim.world) return 1;
    if (cmd.cmd === 'dump') {
      const res = dump(sim.world, cmd.node, cmd.what);
      if ('error' in res) throw new UsageError(res.error);
      io.out(
        cmd.json ? JSON.stringify({ node: cmd.node, what: cmd.what, text: res.text }) : res.text,
      );
      return 0;
    }
    if (cmd.cmd === 'compare') {
      const c = compareDataPlanes(
        await load(cmd.files, io),
        cmd.flow,
        cmd.seed,
        variantFromId(cmd.with)!,
      );
      if ('error' in c) throw new UsageError(c.error);
      if (c.a.error && c.b.error && c.a.error === c.b.error) throw new UsageError(c.a.error);
      io.out(cmd.json ? JSON.stringify(c, null, 2) : formatComparison(c));
      return 0;
    }
    const flow = urlTarget(cmd);
    let result;
    try {
      result = trace(sim.world, flow, cmd.seed);
    } catch (e) {
      if (e instanceof FlowError) throw new UsageError(e.message);
      throw e;
    }
    io.out(cmd.json ? JSON.stringify(asPublished(result), null, 2) : formatTraceText(result));
    return 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`packetwalk: ${e.message}`);
    io.err(USAGE);
    return 2;
  }
}
