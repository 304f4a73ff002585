import { Aggregate } from '@leviathan/loadgen';

/** Commands of one phase of the run: answered, their p50 and p99, and what the players did. */
export interface PhaseFigures {
  /** Command round trip p99, in ms (from the intended send time to the answer). */
  p99: number;
  p50: number;
  /** Commands answered (a refusal is an answer). */
  commands: number;
  /** Commands not answered within the timeout. */
  unanswered: number;
  /** Fights begun (`kill` accepted), walks finished, and tries that found no rat left. */
  fights: number;
  walks: number;
  noPrey: number;
}

function count(agg: Aggregate, name: string): number {
  const v = agg.values(name, 0);
  if (v?.type === 'counter') return v.values.count;
  if (v?.type === 'trend') return v.values.count;
  return 0;
}

/** The load generator's intervals of one phase, merged. */
export class Phase {
  readonly #agg = new Aggregate();
  readonly #timeoutMs: number;
  #intervals = 0;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  add(interval: Aggregate): void {
    this.#agg.add(interval.toSnapshot());
    this.#intervals++;
  }

  get intervals(): number {
    return this.#intervals;
  }

  figures(): PhaseFigures {
    const commands = count(this.#agg, 'ws_cmd_duration');
    const unanswered = count(this.#agg, 'mud_unanswered');
    // A command not answered took at least the timeout: when more than 1 % of them were not,
    // the p99 is (at least) the timeout.
    const timedOut = unanswered > (commands + unanswered) / 100;
    return {
      p99: timedOut ? this.#timeoutMs : (this.#agg.percentile('ws_cmd_duration', 99) ?? this.#timeoutMs),
      p50: this.#agg.percentile('ws_cmd_duration', 50) ?? this.#timeoutMs,
      commands,
      unanswered,
      fights: count(this.#agg, 'mud_fights'),
      walks: count(this.#agg, 'mud_walks'),
      noPrey: count(this.#agg, 'mud_no_prey'),
    };
  }

  /** Forgets what was added (for the progress lines, a phase per line). */
  reset(): void {
    this.#agg.destroy();
    this.#intervals = 0;
  }
}
