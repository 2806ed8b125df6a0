/**
 * A problem found in the user's input, pinned to the text it came from. Every layer reports
 * problems this way; nothing in the engine throws at the user (DESIGN.md §5).
 * Codes are numbered and catalogued in docs/DIAGNOSTICS.md.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface SourcePos {
  file: string;
  /** 1-based line and column. */
  line: number;
  col: number;
}

export interface Diagnostic extends SourcePos {
  severity: Severity;
  /** Stable code, e.g. "PW1001". */
  code: string;
  message: string;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** `FILE:LINE:COL: severity: message [CODE]`, as `packetwalk check` prints it. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message} [${d.code}]`;
}
