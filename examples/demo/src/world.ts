/** The demo game's map: four small zones whose exits cross zone (and so shard) borders. */
export interface DemoRoom {
  readonly title: string;
  readonly description: string;
  /** direction → `zone:room` */
  readonly exits: Readonly<Record<string, string>>;
}

export const DEMO_WORLD: Readonly<Record<string, Readonly<Record<string, DemoRoom>>>> = {
  town: {
    square: {
      title: 'Town Square',
      description:
        'A cobbled square around a dry fountain. Roads lead north to the forest and east to the harbor.',
      exits: { north: 'forest:edge', east: 'harbor:quay', south: 'town:inn' },
    },
    inn: {
      title: 'The Leaning Inn',
      description: 'Warm, loud, and tilted a few degrees to the west.',
      exits: { north: 'town:square' },
    },
  },
  forest: {
    edge: {
      title: 'Forest Edge',
      description: 'Tall pines. A path winds deeper north; the town lies south.',
      exits: { south: 'town:square', north: 'forest:glade' },
    },
    glade: {
      title: 'Quiet Glade',
      description: 'Sunlight falls on soft moss. A cave mouth gapes to the east.',
      exits: { south: 'forest:edge', east: 'caves:mouth' },
    },
  },
  caves: {
    mouth: {
      title: 'Cave Mouth',
      description: 'Cold air breathes out of the dark.',
      exits: { west: 'forest:glade', down: 'caves:hall' },
    },
    hall: {
      title: 'Echoing Hall',
      description: 'Every step comes back to you twice.',
      exits: { up: 'caves:mouth' },
    },
  },
  harbor: {
    quay: {
      title: 'Harbor Quay',
      description: 'Gulls, tar and salt. The town square is west.',
      exits: { west: 'town:square' },
    },
  },
};

export const DIRECTION_ALIASES: Readonly<Record<string, string>> = {
  n: 'north',
  s: 'south',
  e: 'east',
  w: 'west',
  u: 'up',
  d: 'down',
};
