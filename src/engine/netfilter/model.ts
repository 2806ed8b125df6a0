import type { TableName } from './api';

/** A parsed rule: the match options and the target, with its iptables-save text. */
export interface Rule {
  /** The line as iptables-save prints it, e.g. "-A FORWARD -s 10.0.0.0/8 -j ACCEPT". */
  text: string;
  matches: Match[];
  target: Target;
}

export type Match =
  | { kind: 'src' | 'dst'; addr: number; mask: number; neg: boolean }
  | { kind: 'proto'; proto: number; neg: boolean }
  | { kind: 'in' | 'out'; dev: string; prefix: boolean; neg: boolean }
  | { kind: 'sport' | 'dport'; lo: number; hi: number; neg: boolean }
  | { kind: 'comment'; text: string }
  | { kind: 'ctstate'; states: string[]; neg: boolean };

export type Target =
  | { kind: 'ACCEPT' | 'DROP' | 'RETURN' | 'NONE' }
  | { kind: 'REJECT'; with: string }
  | { kind: 'JUMP' | 'GOTO'; chain: string };

export interface Chain {
  name: string;
  /** Built-in chains have a policy; user chains have none. */
  policy: 'ACCEPT' | 'DROP' | null;
  rules: Rule[];
}

export interface Table {
  name: TableName;
  chains: Map<string, Chain>;
}

export const BUILTIN_CHAINS: Record<TableName, string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** iptables-save prints tables in this order. */
export const SAVE_ORDER: TableName[] = ['raw', 'mangle', 'filter', 'security', 'nat'];
