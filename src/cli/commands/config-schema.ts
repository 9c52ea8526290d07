import { z } from 'zod';
import { configSchema } from '../../config/schema.js';
import type { CliCommand } from '../cli-command.js';

/** The config's JSON Schema, generated from the zod schema so they never drift apart. */
export function configJsonSchema(): object {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' });
}

export const configSchemaCommand: CliCommand = {
  name: 'config-schema',
  summary: "print the config's JSON Schema (for editors; config/dealbot.schema.json holds a copy)",
  usage: 'dealbot config-schema > config/dealbot.schema.json',
  async run(_argv, io) {
    io.stdout.write(JSON.stringify(configJsonSchema(), null, 2) + '\n');
    return 0;
  },
};
