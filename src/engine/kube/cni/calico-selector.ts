/**
 * The part of Calico's selector language BGPPeers use in practice: `all()`, `has(k)`,
 * `!has(k)`, `k == 'v'`, `k != 'v'`, joined by `&&`. Anything else matches nothing, so a
 * selector Packetwalk does not understand never creates a session the real cluster lacks.
 */
export function selects(selector: string, labels: Record<string, string>): boolean {
  const terms = selector.split('&&').map((t) => t.trim());
  return terms.every((t) => {
    if (t === 'all()' || t === '') return true;
    const has = /^(!?)\s*has\(\s*([\w./-]+)\s*\)$/.exec(t);
    if (has) return (labels[has[2]!] !== undefined) !== (has[1] === '!');
    const eq = /^([\w./-]+)\s*(==|!=)\s*(['"])(.*)\3$/.exec(t);
    if (eq) return (labels[eq[1]!] === eq[4]) === (eq[2] === '==');
    return false;
  });
}
