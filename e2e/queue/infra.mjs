// Postgres and Redis for the queue-mode suite: Debian's packages (installed with apt-get when missing),
// run in a throwaway folder on free loopback ports as child processes (no system service), stopped with
// the suite. Postgres refuses to run as root: as root, the cluster belongs to the `postgres` user that
// Debian's package creates, and its processes are started with `setpriv` as that user.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import * as H from '../../scripts/lib/harness.mjs';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function postgresBin() {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((name) => fs.existsSync(path.join(root, name, 'bin', 'initdb'))) : [];
	versions.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(root, versions[0], 'bin') : undefined;
}

function redisBin() {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => fs.existsSync(file));
}

/** Installs Debian's postgresql and redis-server when missing (apt-get update first). */
export async function ensurePackages() {
	const missing = [];
	if (!postgresBin()) missing.push('postgresql');
	if (!redisBin()) missing.push('redis-server');
	if (missing.length === 0) return { installed: [] };
	if (!fs.existsSync('/usr/bin/apt-get')) throw new Error(`${missing.join(' and ')} missing, and this machine has no apt-get: install them and run again`);
	const sudo = isRoot ? [] : ['sudo', '-n'];
	H.say('queue', `installing ${missing.join(', ')} with apt-get (Debian's packages; no service is started)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const [command, ...prefix] = [...sudo, 'apt-get'];
	await H.run(command, [...prefix, 'update', '-q'], { env, timeoutMs: 10 * 60_000 });
	await H.run(command, [...prefix, 'install', '-y', '-q', '--no-install-recommends', ...missing], { env, timeoutMs: 15 * 60_000 });
	if (!postgresBin() || !redisBin()) throw new Error(`apt-get install ${missing.join(' ')} did not provide initdb/redis-server`);
	return { installed: missing };
}

/** A module from the cached n8n install (pg, ioredis): the suite adds no dependency of its own. */
export function n8nRequire(n8n) {
	return createRequire(path.join(n8n.packageDir, 'package.json'));
}

/** Runs `args` as the Postgres owner: as root via setpriv (exec, same pid), else directly. */
function asPostgresUser(args) {
	if (!isRoot) return args;
	return ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--reset-env', ...args];
}

/**
 * A throwaway Postgres cluster under `dir` (created with initdb, trust auth for the `n8n` superuser
 * on 127.0.0.1 only), started on `port`, database `n8n` created. Durability is off: it is thrown away.
 */
export async function startPostgres({ dir, port, logFile }) {
	const bin = postgresBin();
	fs.mkdirSync(dir, { recursive: true });
	if (isRoot) {
		try {
			await H.run('id', ['postgres']);
		} catch {
			throw new Error("Postgres refuses to run as root and this machine has no 'postgres' user (Debian's postgresql package creates it)");
		}
		await H.run('chown', ['postgres:postgres', dir]);
	}
	fs.chmodSync(dir, 0o700);
	const data = path.join(dir, 'data');
	const [initdb, ...initArgs] = asPostgresUser([path.join(bin, 'initdb'), '-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
	await H.run(initdb, initArgs, { logFile, timeoutMs: 120_000 });
	const settings = {
		listen_addresses: '127.0.0.1',
		port: String(port),
		unix_socket_directories: dir,
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
		max_connections: '200',
		shared_buffers: '128MB',
	};
	const [postgres, ...pgArgs] = asPostgresUser([path.join(bin, 'postgres'), '-D', data, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])]);
	const child = H.startChild(postgres, pgArgs, { logFile });
	const pg = pgLib();
	const ready = await H.waitFor(
		async () => {
			if (child.exitCode !== null) return 'exited';
			const client = new pg.Client({ host: '127.0.0.1', port, user: 'n8n', database: 'postgres' });
			try {
				await client.connect();
				await client.query('CREATE DATABASE n8n');
				return 'ok';
			} catch {
				return undefined;
			} finally {
				await client.end().catch(() => {});
			}
		},
		{ timeoutMs: 60_000, intervalMs: 300 },
	);
	if (ready !== 'ok') throw new Error(`Postgres did not start on port ${port}:\n${child.stdoutText}${child.stderrText}`.slice(0, 3000));
	// fast shutdown (SIGINT to the postmaster) when the suite stops it
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		try {
			process.kill(child.pid, 'SIGINT');
		} catch {
			// gone
		}
		if ((await Promise.race([exited, H.sleep(10_000).then(() => 'timeout')])) === 'timeout') await H.stopChild(child, 2000);
	};
	return { child, port, version: path.basename(path.dirname(bin)), stop, connection: { host: '127.0.0.1', port, user: 'n8n', database: 'n8n' } };
}

let pgModule;
/** Set once n8n is known: the suite talks to Postgres with n8n's own `pg` module. */
export function usePgFrom(n8n) {
	pgModule = n8nRequire(n8n)('pg');
}
function pgLib() {
	if (!pgModule) throw new Error('usePgFrom(n8n) first');
	return pgModule;
}

/** A small query helper over the suite's database. */
export async function openDatabase(connection) {
	const pg = pgLib();
	const pool = new pg.Pool({ ...connection, max: 4 });
	// Postgres stops with the suite: an idle connection dropped then is expected, not a crash
	pool.on('error', () => {});
	return {
		query: async (text, values) => (await pool.query(text, values)).rows,
		close: () => pool.end(),
	};
}

/** Redis on `port`, 127.0.0.1 only, nothing persisted. */
export async function startRedis({ dir, port, logFile }) {
	fs.mkdirSync(dir, { recursive: true });
	const child = H.startChild(redisBin(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], { logFile });
	const ready = await H.waitFor(async () => child.exitCode !== null || (await H.portInUse(port)), { timeoutMs: 20_000 });
	if (!ready || child.exitCode !== null) throw new Error(`Redis did not start on port ${port}:\n${child.stdoutText}${child.stderrText}`);
	const version = /version=(\d+\.\d+\.\d+)/.exec(child.stdoutText)?.[1] ?? '?';
	return { child, port, version, stop: () => H.stopChild(child) };
}

/** A temporary folder the Postgres owner can enter. */
export function tempFolder(prefix) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	fs.chmodSync(dir, 0o755);
	return dir;
}
