import { isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import type { Diagnostic, Severity, SourcePos } from '../engine/diagnostics';

/** Where diagnostics go, and how a YAML node's offset becomes a line and column. */
export class Ctx {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    /** The file's text, for documents embedded in a string (a ConfigMap's config.conf). */
    readonly text = '',
  ) {}

  pos(node: Node | null | undefined, fallback?: SourcePos): SourcePos {
    const offset = node?.range?.[0];
    if (offset === undefined) return fallback ?? { file: this.file, line: 1, col: 1 };
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }

  report(at: SourcePos, severity: Severity, code: string, message: string): void {
    this.diagnostics.push({ ...at, severity, code, message });
  }
}

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/**
 * Typed reads of one mapping, each reporting a diagnostic at the offending node (the value
 * when it has the wrong type; the mapping when a required key is missing). A failed read
 * returns undefined so the caller can carry on and report every problem in one pass.
 */
export class Fields {
  constructor(
    readonly ctx: Ctx,
    readonly node: YAMLMap,
    /** The dotted path of this mapping in the object, e.g. "spec.template.spec". */
    readonly path: string,
  ) {}

  at(): SourcePos {
    return this.ctx.pos(this.node);
  }

  private full(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  raw(key: string): Node | undefined {
    const v = this.node.get(key, true) as Node | undefined;
    return v ?? undefined;
  }

  has(key: string): boolean {
    return this.node.has(key) && !(isScalar(this.raw(key)) && this.value(key) === null);
  }

  posOf(key: string): SourcePos {
    return this.ctx.pos(this.raw(key), this.at());
  }

  private value(key: string): unknown {
    const n = this.raw(key);
    return isScalar(n) ? n.value : n;
  }

  missing(key: string, code = 'PW1010'): undefined {
    this.ctx.report(this.at(), 'error', code, `${this.full(key)}: Required value`);
    return undefined;
  }

  wrongType(key: string, expected: string): undefined {
    const n = this.raw(key);
    const got = isScalar(n) ? JSON.stringify(n.value) : isSeq(n) ? 'a list' : 'a mapping';
    this.ctx.report(
      this.posOf(key),
      'error',
      'PW1011',
      `${this.full(key)} must be ${expected}, got ${got}`,
    );
    return undefined;
  }

  invalid(key: string, value: unknown, why: string, code = 'PW1012'): undefined {
    this.ctx.report(
      this.posOf(key),
      'error',
      code,
      `${this.full(key)}: Invalid value: ${JSON.stringify(value)}: ${why}`,
    );
    return undefined;
  }

  str(key: string, required = false): string | undefined {
    if (!this.has(key)) return required ? this.missing(key) : undefined;
    const v = this.value(key);
    if (typeof v === 'string') return v;
    // YAML reads `80` and `true` as numbers/booleans; Kubernetes string fields reject them too.
    return this.wrongType(key, 'a string');
  }

  int(key: string, required = false): number | undefined {
    if (!this.has(key)) return required ? this.missing(key) : undefined;
    const v = this.value(key);
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    return this.wrongType(key, 'an integer');
  }

  bool(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const v = this.value(key);
    if (typeof v === 'boolean') return v;
    return this.wrongType(key, 'true or false');
  }

  /** An integer or a string (IntOrString, e.g. targetPort). */
  intOrString(key: string): number | string | undefined {
    if (!this.has(key)) return undefined;
    const v = this.value(key);
    if ((typeof v === 'number' && Number.isInteger(v)) || typeof v === 'string') return v;
    return this.wrongType(key, 'an integer or a string');
  }

  map(key: string, required = false): Fields | undefined {
    if (!this.has(key)) return required ? this.missing(key) : undefined;
    const n = this.raw(key);
    if (isMap(n)) return new Fields(this.ctx, n, this.full(key));
    return this.wrongType(key, 'a mapping');
  }

  /** Each mapping item of a list; non-mapping items are reported and skipped. */
  list(key: string): Fields[] {
    if (!this.has(key)) return [];
    const n = this.raw(key);
    if (!isSeq(n)) return this.wrongType(key, 'a list') ?? [];
    const out: Fields[] = [];
    n.items.forEach((item, i) => {
      if (isMap(item)) out.push(new Fields(this.ctx, item, `${this.full(key)}[${i}]`));
      else
        this.ctx.report(
          this.ctx.pos(item as Node, this.posOf(key)),
          'error',
          'PW1011',
          `${this.full(key)}[${i}] must be a mapping`,
        );
    });
    return out;
  }

  /** A list of strings (externalIPs, cidrs...). */
  strings(key: string): { value: string; at: SourcePos }[] {
    if (!this.has(key)) return [];
    const n = this.raw(key);
    if (!isSeq(n)) return this.wrongType(key, 'a list of strings') ?? [];
    const out: { value: string; at: SourcePos }[] = [];
    n.items.forEach((item, i) => {
      const at = this.ctx.pos(item as Node, this.posOf(key));
      if (isScalar(item) && typeof item.value === 'string') out.push({ value: item.value, at });
      else this.ctx.report(at, 'error', 'PW1011', `${this.full(key)}[${i}] must be a string`);
    });
    return out;
  }

  /** A string-to-string mapping (labels, selectors, ConfigMap data). */
  stringMap(key: string): Record<string, string> {
    const m = this.map(key);
    if (!m) return {};
    const out: Record<string, string> = {};
    for (const pair of m.node.items) {
      const k = isScalar(pair.key) ? pair.key.value : undefined;
      const v = isScalar(pair.value) ? pair.value.value : undefined;
      if (typeof k !== 'string') continue;
      if (typeof v === 'string') out[k] = v;
      else m.wrongType(k, 'a string');
    }
    return out;
  }

  keys(): string[] {
    return this.node.items.flatMap((p) =>
      isScalar(p.key) && typeof p.key.value === 'string' ? [p.key.value] : [],
    );
  }
}
