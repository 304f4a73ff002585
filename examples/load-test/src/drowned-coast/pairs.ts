/**
 * VUs play in pairs fixed by their ids, 1..N over every worker and generator process: 1 with 2,
 * 3 with 4, ... The odd one of a pair leads (it takes an item and hands it over); the even one
 * follows (it receives the item and hands it back). The pair's number chooses its route.
 */
export interface Pair {
  /** This VU's character name. */
  me: string;
  /** Its partner's character name. */
  partner: string;
  leads: boolean;
  /** 0 for VUs 1 and 2, 1 for VUs 3 and 4, ... */
  index: number;
}

/** The character name of VU `id`: one character per VU over the whole test. */
export function characterName(id: number): string {
  return `coast${id}`;
}

export function pairOf(vuId: number): Pair {
  const leads = vuId % 2 === 1;
  const partnerId = leads ? vuId + 1 : vuId - 1;
  return {
    me: characterName(vuId),
    partner: characterName(partnerId),
    leads,
    index: Math.floor((vuId - 1) / 2),
  };
}
