// n8n in queue mode on one machine: a main process (`n8n start`, editor and REST API, enqueues
// executions), two workers (`n8n worker`, run them) and one webhook processor (`n8n webhook`, receives
// /webhook and /webhook-waiting calls and enqueues the executions they start or resume). They share the
// Postgres database, Redis, the encryption key and WEBHOOK_URL (the webhook processor's address, so resume
// URLs and trigger URLs handed to Higgsfield reach it). Each process has its own user folder with the
// packed package installed as a community package, as each container of a real deployment would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import * as H from '../../scripts/lib/harness.mjs';

export const ENCRYPTION_KEY = 'hf-queue-e2e-encryption-key-0123456789';
/** per worker: n8n's `--concurrency` (executions at once); the account limit is shared by all of them */
export const WORKER_CONCURRENCY = 5;

/** The settings every process shares (the README's "Scaling out" lists the same ones). */
export function queueSettings({ postgres, redis, webhookUrl }) {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: '',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		WEBHOOK_URL: webhookUrl,
		// 2.41 still runs editor ("manual") executions on main unless told: send them to the workers
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// keep finished Bull jobs in Redis: their last progress message names the worker (hostId) that ran them
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '100000',
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '100000',
		N8N_RUNNERS_ENABLED: 'true',
		N8N_LOG_LEVEL: 'info',
	};
}

/**
 * Starts main, then the two workers and the webhook processor. `extraMain` adds settings of main only
 * (the queue recovery interval); `prepare(cliEnv)` runs CLI commands before main starts. Returns handles with `stop()`, `kill(name)` and per-process info.
 */
export async function startCluster({ n8n, work, tarball, settings, extraMain = {}, mainPort, webhookPort, prepare }) {
	const processes = {};
	const homes = {};
	for (const name of ['main', 'worker-1', 'worker-2', 'webhook']) {
		homes[name] = path.join(work, 'homes', name);
		const target = path.join(homes[name], '.n8n', 'nodes', 'node_modules', H.PACKAGE_NAME);
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(target, { recursive: true });
		await H.run('tar', ['xzf', tarball, '-C', target, '--strip-components=1']);
	}
	const envFor = async (name, port, extra = {}) =>
		H.n8nEnv(n8n, {
			userFolder: homes[name],
			port,
			encryptionKey: ENCRYPTION_KEY,
			brokerPort: await H.freePort(),
			extra: { ...settings, ...extra },
		});
	const logOf = (name) => path.join(work, 'logs', `${name}.log`);

	const cli = await envFor('main', mainPort);
	// CLI commands (imports, publishing) run before main starts, against the same database
	if (prepare) await prepare(cli);
	const main = await H.startN8nServer(n8n, await envFor('main', mainPort, extraMain), { logFile: logOf('main'), port: mainPort });
	processes.main = { child: main.child, url: main.url, log: logOf('main') };

	const starts = [];
	for (const name of ['worker-1', 'worker-2']) {
		const healthPort = await H.freePort();
		const env = await envFor(name, await H.freePort(), { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' });
		const child = startWorker(n8n, name, env, logOf(name));
		processes[name] = { child, env, url: `http://127.0.0.1:${healthPort}`, log: logOf(name), healthPort };
		starts.push(waitReady(name, child, `${processes[name].url}/healthz/readiness`));
	}
	{
		const env = await envFor('webhook', webhookPort);
		const child = H.startChild(n8n.nodeBin, [n8n.n8nBin, 'webhook'], { env, logFile: logOf('webhook') });
		processes.webhook = { child, url: `http://127.0.0.1:${webhookPort}`, log: logOf('webhook') };
		starts.push(waitReady('webhook', child, `http://127.0.0.1:${webhookPort}/healthz/readiness`));
	}
	await Promise.all(starts);

	const stop = async () => {
		// workers and the webhook processor first, then main (it holds the queue's recovery)
		await Promise.all(['worker-1', 'worker-2', 'webhook'].map((name) => H.stopChild(processes[name].child, 15_000)));
		await H.stopChild(processes.main.child, 15_000);
	};
	/** Starts a (killed) worker again with its folder and settings. */
	const restartWorker = async (name) => {
		const { env, url } = processes[name];
		const child = startWorker(n8n, name, env, logOf(name));
		processes[name] = { ...processes[name], child };
		await waitReady(name, child, `${url}/healthz/readiness`);
	};
	return { processes, homes, cli, stop, restartWorker };
}

/**
 * n8n names a worker `worker-<hostname>` inside a container (else `worker-<random>`) and sends that id with
 * every finished job. Two workers on one machine would share the hostname: where the system allows it
 * (root, util-linux unshare), each worker gets its own hostname in its own UTS namespace, as each
 * container of a real deployment has. `unshare` and `sh` exec, so the pid is the worker's.
 */
let ownHostnames;
function startWorker(n8n, name, env, logFile) {
	const args = [n8n.n8nBin, 'worker', `--concurrency=${WORKER_CONCURRENCY}`];
	if (ownHostnames === undefined) {
		const probe = spawnSync('unshare', ['--uts', 'sh', '-c', 'hostname hf-queue-probe'], { stdio: 'ignore' });
		ownHostnames = probe.status === 0;
	}
	if (!ownHostnames) return H.startChild(n8n.nodeBin, args, { env, logFile });
	return H.startChild('unshare', ['--uts', 'sh', '-c', 'hostname "$HF_QUEUE_HOSTNAME" && exec "$@"', 'sh', n8n.nodeBin, ...args], {
		env: { ...env, HF_QUEUE_HOSTNAME: `${HOSTNAME_PREFIX}${name}` },
		logFile,
	});
}
export const HOSTNAME_PREFIX = 'hf-queue-';

async function waitReady(name, child, url, timeoutMs = 240_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			const tail = `${child.stdoutText}\n${child.stderrText}`.trim().split('\n').slice(-30).join('\n');
			throw new Error(`n8n ${name} exited before it was ready:\n${tail}`);
		}
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not listening yet
		}
		await H.sleep(500);
	}
	throw new Error(`n8n ${name} was not ready within ${timeoutMs / 1000} s`);
}

/** Peak resident memory (VmHWM, MiB) and current RSS of a process, from /proc. */
export function memoryOf(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
		return { peakMiB: kib('VmHWM') / 1024, rssMiB: kib('VmRSS') / 1024 };
	} catch {
		return undefined;
	}
}
