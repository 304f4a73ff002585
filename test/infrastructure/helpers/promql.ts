/**
 * An alert's expression without its final comparison to a number: `leviathan_shard_up == 0` →
 * `leviathan_shard_up`. While all is well an alert expression returns nothing (that is the point
 * of the comparison), so "returns data" is checked on this left-hand side; the full expression is
 * still evaluated, to prove it parses. Undefined when the expression does not end in a
 * comparison to a number (or `bool` comparison).
 */
export function alertLeftHandSide(expr: string): string | undefined {
  const m =
    /^([\s\S]*?)\s*(==|!=|>=|<=|>|<)\s*(?:bool\s+)?[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?\s*$/i.exec(
      expr.trim(),
    );
  const lhs = m?.[1]?.trim();
  return lhs === undefined || lhs === '' ? undefined : lhs;
}

/**
 * A dashboard panel's query as Grafana would send it: the `$instance` variable set to "every
 * instance" (its allValue), `$__rate_interval` and `$__interval` to a minute.
 */
export function withAllInstances(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$instance', '.*');
}
