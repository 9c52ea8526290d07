import { describe, expect, it } from 'vitest';
import { OverwriteType, PermissionFlagsBits as P } from 'discord.js';
import { effectivePermissions, missingFor } from '../../../src/adapters/discord/discord-permissions.js';

const guildId = '10';
const userId = '20';
const base = P.ViewChannel | P.SendMessages | P.EmbedLinks | P.ReadMessageHistory;
const overwrite = (id: string, type: OverwriteType, allow: bigint, deny: bigint) => ({
  id,
  type,
  allow: String(allow),
  deny: String(deny),
});

describe("the bot's permissions in a channel, computed as Discord does", () => {
  const roles = [
    { id: guildId, permissions: String(base) },
    { id: '30', permissions: '0' },
    { id: '31', permissions: String(P.Administrator) },
  ];

  it('applies @everyone, then role, then member overwrites, in that order', () => {
    const everyoneDenies = [overwrite(guildId, OverwriteType.Role, 0n, P.ReadMessageHistory)];
    expect(
      missingFor(
        'history',
        effectivePermissions({ guildId, userId, roles, memberRoleIds: ['30'], overwrites: everyoneDenies }),
      ),
    ).toEqual(['Read Message History']);
    const roleAllows = [...everyoneDenies, overwrite('30', OverwriteType.Role, P.ReadMessageHistory, 0n)];
    expect(
      missingFor(
        'history',
        effectivePermissions({ guildId, userId, roles, memberRoleIds: ['30'], overwrites: roleAllows }),
      ),
    ).toEqual([]);
    const memberDenies = [...roleAllows, overwrite(userId, OverwriteType.Member, 0n, P.EmbedLinks)];
    expect(
      missingFor(
        'post',
        effectivePermissions({ guildId, userId, roles, memberRoleIds: ['30'], overwrites: memberDenies }),
      ),
    ).toEqual(['Embed Links']);
  });

  it('takes everything away without View Channel, and gives everything to an administrator', () => {
    const hidden = [overwrite(guildId, OverwriteType.Role, 0n, P.ViewChannel)];
    expect(
      missingFor('post', effectivePermissions({ guildId, userId, roles, memberRoleIds: [], overwrites: hidden })),
    ).toEqual(['View Channel', 'Send Messages', 'Embed Links']);
    expect(
      missingFor('post', effectivePermissions({ guildId, userId, roles, memberRoleIds: ['31'], overwrites: hidden })),
    ).toEqual([]);
  });
});
