import { type CommandContext, CommandError, defineCommand } from '@leviathan/engine';
import { characterOf, equipmentBySlot } from '../character/character-state.js';
import { findTarget } from '../commands/targets.js';
import { coinsText, renderWares } from '../render/money-text.js';
import { capitalize } from '../render/text.js';
import type { NpcShop, WorldItem } from '../world/world-types.js';
import { carried, MAX_CARRIED } from './item-commands.js';
import { type MudRuntime, tellOthersInRoom } from './mud-runtime.js';
import type { AnyCommand } from './mud-state.js';
import { npcsInRoom, playerState } from './mud-state.js';
import { priceToBuy, priceToSell } from './shop-prices.js';

/** The shopkeeper a trading command deals with: the first NPC in the room that keeps a shop. */
interface Shopkeeper {
  /** Its name as the world writes it, for the middle of a sentence: "a pawnbroker". */
  name: string;
  /** The same at the start of a sentence: "A pawnbroker". */
  capitalized: string;
  shop: NpcShop;
}

function shopkeeperHere(mud: MudRuntime, ctx: CommandContext): Shopkeeper {
  const room = ctx.player.room;
  if (room === undefined) throw new CommandError('You are nowhere.');
  const keeper = npcsInRoom(mud.world, ctx.here, room).find((n) => n.def.shop !== undefined);
  if (!keeper?.def.shop) throw new CommandError('There is no shop here.');
  return { name: keeper.def.name, capitalized: capitalize(keeper.def.name), shop: keeper.def.shop };
}

/** A shop that buys nothing says so before anything else is looked at. */
function buyingShopkeeperHere(mud: MudRuntime, ctx: CommandContext): Shopkeeper {
  const keeper = shopkeeperHere(mud, ctx);
  if (!keeper.shop.buys) throw new CommandError(`${keeper.capitalized} buys nothing.`);
  return keeper;
}

/** The items a shop sells, with their prices, in the order the world lists them. */
function waresOf(mud: MudRuntime, shop: NpcShop): Array<{ def: WorldItem; price: number }> {
  return shop.sells.flatMap((id) => {
    const def = mud.world.items.get(id);
    return def ? [{ def, price: priceToBuy(def, shop) }] : [];
  });
}

/**
 * What the player means to sell or have valued, among what they carry. Something they wear or
 * wield that matches gets its own answer: it must be taken off first (for `sell`) or is valued
 * as it is (for `value`).
 */
function ownedItem(
  mud: MudRuntime,
  ctx: CommandContext,
  what: string,
): { def: WorldItem; carriedId?: string } | undefined {
  const held = findTarget(what, carried(mud, ctx.player));
  if (held) return { def: held.def, carriedId: held.carried.id };
  const worn = equipmentBySlot(characterOf(ctx.player)).flatMap(([, item]) => {
    const def = item === undefined ? undefined : mud.world.items.get(item.item);
    return def === undefined ? [] : [{ def, name: def.name, keywords: def.keywords }];
  });
  const used = findTarget(what, worn);
  return used ? { def: used.def } : undefined;
}

export function shopCommands(mud: MudRuntime): AnyCommand[] {
  const list = defineCommand({
    name: 'list',
    usage: 'list',
    help: 'Lists what the shopkeeper here sells, and for how much.',
    run: (ctx) => {
      const keeper = shopkeeperHere(mud, ctx);
      const wares = waresOf(mud, keeper.shop);
      const coins = characterOf(ctx.player).coins;
      ctx.reply(
        renderWares(
          keeper.capitalized,
          wares.map((w) => ({ name: w.def.name, price: w.price })),
          coins,
        ),
        {
          shopkeeper: keeper.name,
          buys: keeper.shop.buys,
          wares: wares.map((w) => ({ item: w.def.id, name: w.def.name, price: w.price })),
          coins,
        },
      );
    },
  });

  const buy = defineCommand({
    name: 'buy',
    usage: 'buy <item>',
    help: 'Buys something the shopkeeper here sells ("buy ale"): the coins go, the item is yours.',
    run: (ctx, what) => {
      if (!what) throw new CommandError('Buy what? Type "list" to see what is for sale.');
      const keeper = shopkeeperHere(mud, ctx);
      const wares = waresOf(mud, keeper.shop).map((w) => ({
        ...w,
        name: w.def.name,
        keywords: w.def.keywords,
      }));
      const chosen = findTarget(what, wares);
      if (!chosen) {
        throw new CommandError(
          `${keeper.capitalized} does not sell "${what}". Type "list" to see what is for sale.`,
        );
      }
      const c = characterOf(ctx.player);
      if (c.coins < chosen.price) {
        throw new CommandError(
          `${capitalize(chosen.name)} costs ${coinsText(chosen.price)}, and you have ${coinsText(c.coins)}.`,
        );
      }
      const inventory = playerState(ctx.player).inventory;
      if (inventory.length >= MAX_CARRIED)
        throw new CommandError('Your hands are full: drop something first.');
      // A new instance, with an id made like the ones the world's own items get: unique in the world.
      const bought = { id: mud.newItemId(ctx.player.zone), item: chosen.def.id };
      c.coins -= chosen.price;
      inventory.push(bought);
      ctx.markDirty(ctx.player);
      ctx.reply(`You buy ${chosen.name} from ${keeper.name} for ${coinsText(chosen.price)}.`, {
        item: bought.id,
        name: chosen.name,
        price: chosen.price,
        coins: c.coins,
      });
      tellOthersInRoom(ctx, `${ctx.player.username} buys ${chosen.name} from ${keeper.name}.`);
    },
  });

  const sell = defineCommand({
    name: 'sell',
    usage: 'sell <item>',
    help: 'Sells something you carry to the shopkeeper here ("sell herring"), for half what it is worth.',
    run: (ctx, what) => {
      if (!what) throw new CommandError('Sell what?');
      const keeper = buyingShopkeeperHere(mud, ctx);
      const owned = ownedItem(mud, ctx, what);
      if (!owned) throw new CommandError(`You carry no "${what}".`);
      const { def, carriedId } = owned;
      if (carriedId === undefined) throw new CommandError(`You are using ${def.name}: remove it first.`);
      const price = priceToSell(def);
      if (price === 0)
        throw new CommandError(
          `${keeper.capitalized} will not give a coin for ${def.name}: it is worthless.`,
        );
      const inventory = playerState(ctx.player).inventory;
      const index = inventory.findIndex((i) => i.id === carriedId);
      if (index === -1) throw new CommandError(`You carry no "${what}".`);
      // The shop keeps nothing it buys: its wares are the world's `sells`, however many are sold.
      inventory.splice(index, 1);
      const c = characterOf(ctx.player);
      c.coins += price;
      ctx.markDirty(ctx.player);
      ctx.reply(`You sell ${def.name} to ${keeper.name} for ${coinsText(price)}.`, {
        item: carriedId,
        name: def.name,
        price,
        coins: c.coins,
      });
      tellOthersInRoom(ctx, `${ctx.player.username} sells ${def.name} to ${keeper.name}.`);
    },
  });

  const value = defineCommand({
    name: 'value',
    aliases: ['appraise'],
    usage: 'value <item>',
    help: 'Asks the shopkeeper here what they would pay for something of yours ("value compass").',
    run: (ctx, what) => {
      if (!what) throw new CommandError('Value what?');
      const keeper = buyingShopkeeperHere(mud, ctx);
      const owned = ownedItem(mud, ctx, what);
      if (!owned) throw new CommandError(`You carry no "${what}".`);
      const price = priceToSell(owned.def);
      const answer =
        price === 0
          ? `${keeper.capitalized} would not give a coin for ${owned.def.name}: it is worthless.`
          : `${keeper.capitalized} would give you ${coinsText(price)} for ${owned.def.name}.`;
      ctx.reply(answer, { item: owned.def.id, name: owned.def.name, price });
    },
  });

  return [list, buy, sell, value];
}
