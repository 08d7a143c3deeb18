import type { Command } from 'commander';
import { startService } from '../main.js';
import type { NewAccount } from '../services/accounts.js';
import { configFromFlags, reportError } from './run-command.js';

function banner(url: string, demo: NewAccount | null, notes: string[]): string {
  const lines = ['', `  Real ID is running at ${url}`, `  Dashboard: ${url}/   API docs: ${url}/docs`];
  if (demo) {
    lines.push(
      '',
      '  A demo Enterprise account was created. These are shown once:',
      `    sign in:   ${demo.owner.email} / ${demo.owner.password}`,
      `    test key:  ${demo.keys.test.key}`,
      `    live key:  ${demo.keys.live.key}`,
    );
  }
  for (const note of notes) lines.push('', `  ${note}`);
  return lines.join('\n') + '\n\n';
}

export function registerStart(program: Command): void {
  program.command('start')
    .description('Start the service: API, dashboard and delivery workers (or the roles you choose).')
    .option('--role <roles>', 'api, worker, or api,worker', undefined)
    .option('--port <port>', 'port to listen on (REALID_PORT, default 8080)')
    .option('--host <host>', 'address to listen on (REALID_HOST, default 127.0.0.1)')
    .addHelpText('after', '\nExamples:\n  $ realid start\n  $ realid start --db postgres://realid@localhost/realid --role worker\n')
    .action(async (options: { role?: string; port?: string; host?: string }) => {
      let service: Awaited<ReturnType<typeof startService>>;
      try {
        const config = configFromFlags(program, { REALID_ROLE: options.role, REALID_PORT: options.port, REALID_HOST: options.host });
        service = await startService(config);
        const notes: string[] = [];
        if (config.profile === 'development') {
          notes.push(`Development profile: webhooks may go to loopback (REALID_ALLOW_DESTINATIONS=${config.delivery.allowDestinations.join(',') || 'none'}); production refuses internal addresses.`);
          if (service.demo) notes.push(`The demo credentials are also in ${config.dataDir}/demo-credentials.json (development only).`);
        }
        if (service.url) process.stderr.write(banner(service.url, service.demo, notes));
        else process.stderr.write(`\n  Real ID worker started (${config.dbKind}).\n\n`);
      } catch (error) {
        reportError(error);
      }
      const shutdown = (signal: string) => {
        service.ctx.log.info({ signal }, 'shutting down');
        const force = setTimeout(() => process.exit(1), 20_000);
        force.unref();
        service.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}
