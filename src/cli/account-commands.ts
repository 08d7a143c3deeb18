import type { Command } from 'commander';
import { AppError } from '../core/errors.js';
import { migrateToLatest } from '../db/migrate.js';
import { PLANS, type Plan, findAccount, listAccounts, updateAccountPlan } from '../db/repos/accounts.js';
import { listApiKeys, revokeApiKey } from '../db/repos/api-keys.js';
import { apiKeyOut } from '../api/api-keys.js';
import { createAccount, createApiKey } from '../services/accounts.js';
import { EXIT, fail, printJson, withContext } from './run-command.js';

function parsePlan(value: string): Plan {
  if (!(PLANS as string[]).includes(value)) fail(`--plan must be one of ${PLANS.join(', ')}`, EXIT.usage);
  return value as Plan;
}

export function registerAccountCommands(program: Command): void {
  program.command('migrate')
    .description('Bring the database schema up to date (start does this too).')
    .addHelpText('after', '\nExample:\n  $ realid migrate --db postgres://realid@localhost/realid\n')
    .action(() => withContext(program, async (ctx) => {
      const applied = await migrateToLatest(ctx.db);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the schema is up to date\n');
    }));

  const accounts = program.command('accounts').description('Create and list merchant accounts.');
  accounts.command('create')
    .description('Create an account with an owner login, a test key and a live key.')
    .requiredOption('--name <name>', 'the merchant\'s name')
    .requiredOption('--email <email>', 'the owner\'s sign-in email')
    .option('--plan <plan>', `one of ${PLANS.join(', ')}`, 'enterprise')
    .option('--password <password>', 'the owner\'s password (generated when omitted)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  $ realid accounts create --name "Acme" --email owner@acme.test --plan enterprise --json\n')
    .action((options: { name: string; email: string; plan: string; password?: string; json?: boolean }) => withContext(program, async (ctx) => {
      const made = await createAccount(ctx, { name: options.name, plan: parsePlan(options.plan), ownerEmail: options.email, ownerPassword: options.password });
      if (options.json) return printJson(made);
      process.stdout.write([
        `account   ${made.account.id}  ${made.account.name} (${made.account.plan})`,
        `sign in   ${made.owner.email} / ${made.owner.password}`,
        `test key  ${made.keys.test.key}`,
        `live key  ${made.keys.live.key}`,
        'The password and keys are shown once.',
      ].join('\n') + '\n');
    }));

  accounts.command('list')
    .description('List accounts.')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }) => withContext(program, async (ctx) => {
      const rows = await listAccounts(ctx.db.kysely);
      if (options.json) return printJson(rows.map((r) => ({ id: r.id, name: r.name, plan: r.plan, created_at: new Date(r.created_at).toISOString() })));
      for (const r of rows) process.stdout.write(`${r.id}  ${r.plan.padEnd(10)}  ${r.name}\n`);
    }));

  accounts.command('set-plan')
    .description('Change an account\'s plan (webhooks need enterprise).')
    .argument('<account-id>')
    .argument('<plan>', PLANS.join(' | '))
    .action((accountId: string, plan: string) => withContext(program, async (ctx) => {
      if (!(await updateAccountPlan(ctx.db.kysely, accountId, parsePlan(plan), Date.now()))) throw new AppError('RID_ERR_NOT_FOUND', `No account ${accountId}.`);
      process.stdout.write(`${accountId} is now on the ${plan} plan\n`);
    }));

  const keys = program.command('keys').description('Create, list and revoke API keys.');
  keys.command('create')
    .requiredOption('--account <id>', 'the account')
    .option('--mode <mode>', 'test or live', 'test')
    .option('--name <name>', 'a name to recognise it by', 'CLI key')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExample:\n  $ realid keys create --account acct_01J… --mode live --name "Checkout server" --json\n')
    .action((options: { account: string; mode: string; name: string; json?: boolean }) => withContext(program, async (ctx) => {
      if (options.mode !== 'test' && options.mode !== 'live') fail('--mode must be test or live', EXIT.usage);
      if (!(await findAccount(ctx.db.kysely, options.account))) throw new AppError('RID_ERR_NOT_FOUND', `No account ${options.account}.`);
      const key = await createApiKey(ctx.db.kysely, options.account, options.mode, options.name);
      if (options.json) return printJson(key);
      process.stdout.write(`${key.id}  ${key.key}\nThe key is shown once.\n`);
    }));
  keys.command('list')
    .requiredOption('--account <id>', 'the account')
    .option('--json', 'print as JSON')
    .action((options: { account: string; json?: boolean }) => withContext(program, async (ctx) => {
      const rows = (await listApiKeys(ctx.db.kysely, options.account)).map(apiKeyOut);
      if (options.json) return printJson(rows);
      for (const k of rows) process.stdout.write(`${k.id}  ${k.mode}  ${k.hint}  ${k.revoked_at ? 'revoked' : 'active'}  ${k.name}\n`);
    }));
  keys.command('revoke')
    .requiredOption('--account <id>', 'the account')
    .argument('<key-id>')
    .option('--json', 'print as JSON')
    .action((keyId: string, options: { account: string; json?: boolean }) => withContext(program, async (ctx) => {
      const row = await revokeApiKey(ctx.db.kysely, options.account, keyId, Date.now());
      if (!row) throw new AppError('RID_ERR_API_KEY_NOT_FOUND');
      if (options.json) return printJson(apiKeyOut(row));
      process.stdout.write(`${keyId} revoked\n`);
    }));
}
