/**
 * An address as a person types it on the command line (`10.0.0.5:8080`, `http://prom:9090/`)
 * made a URL: `http://` when no scheme is given. `what` names the thing in the error
 * (`an engine`, `a Prometheus`).
 */
export function httpUrlOf(address: string, what: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`;
  try {
    return new URL(withScheme);
  } catch {
    throw new TypeError(
      `not ${what} address: ${JSON.stringify(address)} (expected host:port or http://host:port)`,
    );
  }
}
