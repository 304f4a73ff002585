/**
 * Where a character can wear or wield things: one item per slot. The order is the order `score`
 * and `equipment` list them in.
 */
export const EQUIPMENT_SLOTS = ['wield', 'shield', 'head', 'body', 'hands', 'feet'] as const;
export type EquipmentSlot = (typeof EQUIPMENT_SLOTS)[number];

/** How a slot reads in a list: "wielded: a woodcutter's axe", "on your head: ...". */
export const SLOT_LABELS: Readonly<Record<EquipmentSlot, string>> = {
  wield: 'wielded',
  shield: 'as a shield',
  head: 'on your head',
  body: 'on your body',
  hands: 'on your hands',
  feet: 'on your feet',
};

export function isEquipmentSlot(value: unknown): value is EquipmentSlot {
  return typeof value === 'string' && (EQUIPMENT_SLOTS as readonly string[]).includes(value);
}
