import type { EquipmentSlot } from '../character/equipment-slots.js';
import { SLOT_LABELS } from '../character/equipment-slots.js';
import { purseLine } from './money-text.js';

export interface ScoreSheet {
  name: string;
  level: number;
  xp: number;
  /** Experience still needed for the next level; 0 at the highest. */
  toNext: number;
  health: number;
  maxHealth: number;
  energy: number;
  maxEnergy: number;
  strength: number;
  dexterity: number;
  constitution: number;
  wits: number;
  attack: number;
  armor: number;
  coins: number;
  /** Slot → the name of what is there, for the slots that hold something. */
  worn: ReadonlyArray<[EquipmentSlot, string]>;
}

/** `score`: the character sheet, in aligned columns that read well in a fixed-width client. */
export function renderScore(s: ScoreSheet): string {
  const next = s.toNext > 0 ? `${s.toNext} to the next level` : 'the highest level';
  const lines = [
    `${s.name}, level ${s.level} (${s.xp} experience; ${next})`,
    `  Health ${s.health}/${s.maxHealth}   Energy ${s.energy}/${s.maxEnergy}`,
    `  Strength ${s.strength}   Dexterity ${s.dexterity}   Constitution ${s.constitution}   Wits ${s.wits}`,
    `  Attack ${s.attack}   Armor ${s.armor}`,
    `  ${purseLine(s.coins)}`,
  ];
  lines.push(...renderWorn(s.worn, '  '));
  return lines.join('\n');
}

/** `equipment`: what is worn or wielded, slot by slot. */
export function renderEquipment(worn: ReadonlyArray<[EquipmentSlot, string]>): string {
  return renderWorn(worn, '').join('\n');
}

function renderWorn(worn: ReadonlyArray<[EquipmentSlot, string]>, indent: string): string[] {
  if (worn.length === 0) return [`${indent}You wear and wield nothing.`];
  return [
    `${indent}You are using:`,
    ...worn.map(([slot, name]) => `${indent}  ${SLOT_LABELS[slot]}: ${name}`),
  ];
}
