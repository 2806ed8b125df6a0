/**
 * Walking one table's chains for one packet, as ipt_do_table / nft_do_chain do: the first
 * rule with a terminal verdict decides; a jump walks the target chain and comes back on
 * RETURN or at its end; a goto does not come back; non-terminal targets (MARK, LOG, TRACE,
 * CT --notrack) act and the walk continues. Runs of rules that did not match are one event
 * with a range, so a 50,000-rule chain is a handful of events.
 */
import type { FinalVerdict, HookContext, NfEventDraft } from './api';
import { chainIndex, ruleMatches, type MatchEnv } from './match';
import type { Chain, Table, Target } from './model';
import { count } from './state';

/** The walk's answer; NAT targets are terminal in the nat table and bind the connection. */
export type WalkVerdict =
  | FinalVerdict
  | {
      kind: 'NAT';
      target: Extract<Target, { kind: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT' }>;
      chain: string;
      rule: string;
    };

type ChainResult =
  | { kind: 'ACCEPT' | 'RETURN' }
  | { kind: 'DROP'; chain: string; rule: string | null; reason?: string }
  | { kind: 'REJECT'; with: string; chain: string; rule: string }
  | Extract<WalkVerdict, { kind: 'NAT' }>;

/** Deeper than this is a jump loop too (iptables refuses rulesets nested this deep). */
const MAX_DEPTH = 64;

function verdictName(t: Target): string {
  switch (t.kind) {
    case 'JUMP':
      return `JUMP ${t.chain}`;
    case 'GOTO':
      return `GOTO ${t.chain}`;
    case 'NONE':
      return 'CONTINUE';
    default:
      return t.kind;
  }
}

function walkChain(
  table: Table,
  chain: Chain,
  env: MatchEnv,
  events: NfEventDraft[],
  stack: string[],
): ChainResult {
  const { ctx } = env;
  const rules = chain.rules;
  const ix = chainIndex(chain);
  let missFrom = -1;
  const flush = (upTo: number) => {
    if (missFrom < 0) return;
    events.push({
      kind: 'netfilter',
      hook: ctx.hook,
      table: table.name,
      chain: chain.name,
      rule: rules[missFrom]!.text,
      index: missFrom + 1,
      matched: false,
      range: [missFrom + 1, upTo],
      verdict: 'CONTINUE',
    });
    missFrom = -1;
  };
  // With an index, only rules for this destination and rules without a plain -d can match.
  const cand = ix ? (ix.byDst.get(env.p.ip.dst) ?? []) : null;
  let a = 0;
  let b = 0;
  const next = (): number => {
    if (!ix) return a < rules.length ? a++ : -1;
    const x = a < cand!.length ? cand![a]! : Infinity;
    const y = b < ix.rest.length ? ix.rest[b]! : Infinity;
    if (x === Infinity && y === Infinity) return -1;
    if (x < y) {
      a++;
      return x;
    }
    b++;
    return y;
  };
  let lastTested = -1;
  for (let i = next(); i >= 0; i = next()) {
    if (missFrom < 0 && i > lastTested + 1) missFrom = lastTested + 1;
    lastTested = i;
    const r = rules[i]!;
    if (!ruleMatches(r, env)) {
      if (missFrom < 0) missFrom = i;
      continue;
    }
    flush(i);
    count(env.state, r, env.p.ip.len);
    const t = r.target;
    events.push({
      kind: 'netfilter',
      hook: ctx.hook,
      table: table.name,
      chain: chain.name,
      rule: r.text,
      index: i + 1,
      matched: true,
      verdict: verdictName(t),
    });
    switch (t.kind) {
      case 'NONE':
      case 'LOG':
      case 'TRACE':
        continue;
      case 'MARK':
        ctx.skb.mark = ((ctx.skb.mark & ~t.mask) ^ t.value) >>> 0;
        continue;
      case 'NOTRACK':
        ctx.skb.ct = 'untracked';
        continue;
      case 'CT':
        if (t.notrack) ctx.skb.ct = 'untracked';
        continue;
      case 'ACCEPT':
      case 'RETURN':
        return { kind: t.kind };
      case 'DROP':
        return { kind: 'DROP', chain: chain.name, rule: r.text };
      case 'REJECT':
        return { kind: 'REJECT', with: t.with, chain: chain.name, rule: r.text };
      case 'DNAT':
      case 'SNAT':
      case 'MASQUERADE':
      case 'REDIRECT':
        return { kind: 'NAT', target: t, chain: chain.name, rule: r.text };
      case 'JUMP':
      case 'GOTO': {
        const sub = table.chains.get(t.chain);
        if (!sub)
          return {
            kind: 'DROP',
            chain: chain.name,
            rule: r.text,
            reason: `chain ${t.chain} does not exist`,
          };
        if (stack.includes(t.chain) || stack.length >= MAX_DEPTH)
          return {
            kind: 'DROP',
            chain: chain.name,
            rule: r.text,
            reason: `jump loop: ${[...stack, t.chain].join(' -> ')}`,
          };
        stack.push(t.chain);
        const res = walkChain(table, sub, env, events, stack);
        stack.pop();
        if (res.kind !== 'RETURN') return res;
        if (t.kind === 'GOTO') return { kind: 'RETURN' };
      }
    }
  }
  if (missFrom < 0 && lastTested + 1 < rules.length) missFrom = lastTested + 1;
  flush(rules.length);
  return { kind: 'RETURN' };
}

/** Runs a table's base chain for this hook; its policy applies when the walk falls off the end. */
export function runTable(table: Table, env: MatchEnv, events: NfEventDraft[]): WalkVerdict {
  const ctx: HookContext = env.ctx;
  const chain = table.chains.get(ctx.hook);
  if (!chain) return { kind: 'ACCEPT' };
  const res = walkChain(table, chain, env, events, [chain.name]);
  switch (res.kind) {
    case 'ACCEPT':
      return { kind: 'ACCEPT' };
    case 'NAT':
      return res;
    case 'DROP':
      return {
        kind: 'DROP',
        table: table.name,
        chain: res.chain,
        rule: res.rule,
        ...(res.reason ? { reason: res.reason } : {}),
      };
    case 'REJECT':
      return {
        kind: 'REJECT',
        table: table.name,
        chain: res.chain,
        rule: res.rule,
        with: res.with,
      };
  }
  const policy = chain.policy ?? 'ACCEPT';
  count(env.state, chain, env.p.ip.len);
  events.push({
    kind: 'netfilter',
    hook: ctx.hook,
    table: table.name,
    chain: chain.name,
    rule: null,
    index: null,
    matched: true,
    verdict: policy,
  });
  return policy === 'DROP'
    ? { kind: 'DROP', table: table.name, chain: chain.name, rule: null }
    : { kind: 'ACCEPT' };
}
