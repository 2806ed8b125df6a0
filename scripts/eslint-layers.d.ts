import type { Rule } from 'eslint';
export const LAYERS: string[];
export const TABLE: Record<
  string,
  { runtime: string[]; types: string[]; packages: string[] | null }
>;
declare const plugin: { rules: { layers: Rule.RuleModule } };
export default plugin;
