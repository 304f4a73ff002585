import { IAC, SB, SE } from './telnet-codec.js';
import { TelnetOption } from './telnet-options.js';

const MSSP_VAR = 1;
const MSSP_VAL = 2;

/**
 * The MSSP reply (https://tintin.mudhalla.net/protocols/mssp/): IAC SB MSSP, then each variable
 * as MSSP_VAR name MSSP_VAL value (a list repeats MSSP_VAL), then IAC SE. Values are text; the
 * bytes 0, 1, 2 and 255 cannot appear in them, so they are removed.
 */
export function encodeMssp(
  variables: Record<string, string | number | readonly (string | number)[]>,
): Buffer {
  const out: number[] = [IAC, SB, TelnetOption.Mssp];
  const text = (v: string | number) => [...Buffer.from(String(v), 'utf8')].filter((b) => b > 2 && b !== IAC);
  for (const [name, value] of Object.entries(variables)) {
    out.push(MSSP_VAR, ...text(name));
    for (const v of Array.isArray(value) ? value : [value]) out.push(MSSP_VAL, ...text(v as string | number));
  }
  out.push(IAC, SE);
  return Buffer.from(out);
}
