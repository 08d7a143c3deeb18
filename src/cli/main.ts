import { Command, CommanderError } from 'commander';
import { registerAccountCommands } from './account-commands.js';
import { registerDeliveryCommands } from './deliveries-commands.js';
import { registerListen } from './listen-command.js';
import { registerStart } from './start-command.js';
import { registerTrigger } from './trigger-command.js';
import { EXIT } from './run-command.js';

/** `realid`: one binary for the server, operators' chores and developers' tools. */
const program = new Command('realid')
  .description('Real ID: ID checks with real-time, signed webhooks.')
  .version('0.1.0')
  .option('--db <target>', 'SQLite file or postgres:// URL (REALID_DB)')
  .option('--data-dir <dir>', 'where the SQLite file, photos and keys live (REALID_DATA_DIR)')
  .option('--config <file>', 'a JSON config file (REALID_CONFIG)')
  .exitOverride()
  .showHelpAfterError();

registerStart(program);
registerAccountCommands(program);
registerTrigger(program);
registerListen(program);
registerDeliveryCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  throw error;
}
