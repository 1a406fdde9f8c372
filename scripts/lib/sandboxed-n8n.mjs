// Real n8n with this package, the Higgsfield sandbox, its credential, the examples and an owner account:
// what `npm run start:n8n` runs (scripts/start.mjs) and what `npm run screenshots` drives (scripts/screenshots.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as H from './harness.mjs';

export const WEBHOOK_SECRET = 'hf-sandbox-webhook-secret';
/** The one estimate of a first start, measured on a 2-core machine: download, unpack, build SQLite. */
export const FIRST_INSTALL_ESTIMATE = 'about 6 minutes and 3 GB, once';

const CACHE_ROOT = process.env.HF_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-higgsfield');
/** npm downloads into its own cache first, then unpacks into CACHE_ROOT */
const NPM_CACHE = process.env.npm_config_cache || path.join(os.homedir(), '.npm');

function bytesIn(dir) {
	const du = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
	return du.status === 0 ? Number(du.stdout.split('\t')[0]) : 0;
}

const gb = (bytes) => `${(bytes / 1e9).toFixed(1)} GB`;
const minutes = (ms) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

/**
 * ensureN8n, with the installers' output in `logFile` and, on a first run, its steps and a progress line
 * every 15 s (bytes written to the cache, elapsed time) on the terminal. A warm start says so.
 */
export async function ensureN8nWithProgress(tag, logFile) {
	const started = Date.now();
	fs.writeFileSync(logFile, '');
	let cold = false;
	let startUnpacked = 0;
	let startDownloaded = 0;
	let ticker;
	const becomeCold = () => {
		if (cold) return;
		cold = true;
		startUnpacked = bytesIn(CACHE_ROOT);
		startDownloaded = bytesIn(NPM_CACHE);
		H.say(tag, `first run: installing Node 24 and n8n from the npm registry into ${CACHE_ROOT} (${FIRST_INSTALL_ESTIMATE}; details in ${logFile})`);
		ticker = setInterval(() => {
			const downloaded = gb(Math.max(0, bytesIn(NPM_CACHE) - startDownloaded));
			const unpacked = gb(Math.max(0, bytesIn(CACHE_ROOT) - startUnpacked));
			H.say(tag, `  still installing: ${downloaded} downloaded, ${unpacked} of about 3 GB unpacked, ${minutes(Date.now() - started)} elapsed`);
		}, 15_000);
	};
	const coldTimer = setTimeout(becomeCold, 3000);
	try {
		const n8n = await H.ensureN8n({
			logFile,
			onLine: (line) => {
				const step = /^\[install-n8n\] (.*)$/.exec(line);
				if (!step) return;
				becomeCold();
				H.say(tag, `  ${step[1]}`);
			},
		});
		if (cold) H.say(tag, `n8n ${n8n.version} installed in ${minutes(Date.now() - started)}; later starts reuse it`);
		else H.say(tag, `n8n ${n8n.version} on Node ${n8n.nodeVersion}: already installed (${n8n.dir}), nothing to download`);
		return n8n;
	} catch (error) {
		throw new Error(`${error.message}\n(the installers' output is in ${logFile}; run the command again to resume)`);
	} finally {
		clearTimeout(coldTimer);
		clearInterval(ticker);
	}
}

/** What to say when n8n's port is taken. */
export function portTakenMessage(port) {
	const other = port === 5678 ? 5680 : port + 1;
	return [
		`port ${port} is in use: is n8n already running? Stop it (or open http://localhost:${port}),`,
		`or start this one on another port: N8N_PORT=${other} npm run start:n8n`,
	].join('\n');
}

function userN8nSettings() {
	// the user's own N8N_* settings win over ours (e.g. N8N_LISTEN_ADDRESS=0.0.0.0 in a container); the port is handled apart
	return Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('N8N_') && name !== 'N8N_USER_FOLDER' && name !== 'N8N_PORT'));
}

/**
 * Installs (first run) and starts n8n over `userFolder` on `port`, with the package, the sandbox, the sandbox
 * credential, the examples (imported when missing, or all with `resetExamples`), the trigger examples published
 * and the owner account. Returns what a caller needs to print or drive it.
 */
export async function startSandboxedN8n({
	tag = 'start',
	userFolder,
	port = H.START_PORT,
	ownerEmail,
	ownerPassword,
	sandboxPort = 4010,
	sandboxArgs = [],
	resetExamples = false,
	onStep = (message) => H.say(tag, message),
}) {
	if (!(await H.portIsFree(port))) throw new Error(portTakenMessage(port));
	fs.mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, 'n8n.log');
	const cliLog = path.join(userFolder, 'n8n-cli.log');

	const n8n = await ensureN8nWithProgress(tag, path.join(userFolder, 'install-n8n.log'));

	onStep('building the package and installing its npm pack tarball into n8n (as the Community Nodes installer does)');
	const pkg = await H.installPackage(userFolder);
	onStep(`installed ${H.PACKAGE_NAME}@${pkg.version} (${pkg.nodes.length} nodes: ${pkg.nodes.join(', ')})`);

	if (!(await H.portIsFree(sandboxPort))) sandboxPort = await H.freePort();
	const sandbox = await H.startSandbox({ port: sandboxPort, args: sandboxArgs, logFile: path.join(userFolder, 'sandbox.log') });
	onStep(`Higgsfield sandbox on ${sandbox.url} (every request it received: ${sandbox.url}/__sandbox/log)`);

	const env = H.n8nEnv(n8n, { userFolder, port, brokerPort: await H.freePort(), extra: userN8nSettings() });
	const cliEnv = { ...env, N8N_RUNNERS_BROKER_PORT: String(await H.freePort()) };
	const credentialsFile = path.join(userFolder, 'higgsfield-sandbox-credential.json');
	H.writeSandboxCredential(credentialsFile, { baseUrl: sandbox.url, webhookSecret: WEBHOOK_SECRET });
	await H.n8nCli(n8n, cliEnv, ['import:credentials', `--input=${credentialsFile}`], { logFile: cliLog });
	fs.rmSync(credentialsFile, { force: true });
	onStep(`credential "${H.SANDBOX_CREDENTIAL.name}" points at ${sandbox.url} (rewritten at every start: make your own for the real service)`);

	const examples = H.readWorkflows(H.EXAMPLES_DIR);
	const existing = new Set(
		(await H.n8nCli(n8n, cliEnv, ['list:workflow', '--onlyId'], { logFile: cliLog })).stdout
			.split('\n')
			.map((line) => line.trim())
			.filter((line) => /^[A-Za-z0-9]{1,21}$/.test(line)),
	);
	const toImport = examples.filter((example) => resetExamples || !existing.has(example.workflow.id));
	if (toImport.length > 0) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-examples-'));
		for (const example of toImport) fs.copyFileSync(example.file, path.join(dir, example.name));
		await H.n8nCli(n8n, cliEnv, ['import:workflow', '--separate', `--input=${dir}`], { logFile: cliLog });
		fs.rmSync(dir, { recursive: true, force: true });
	}
	onStep(`examples: ${toImport.length} imported, ${examples.length - toImport.length} already there (HF_RESET_EXAMPLES=1 re-imports them)`);
	const triggers = examples.filter((example) => H.needsPublishing(example.workflow));
	for (const example of triggers) {
		await H.n8nCli(n8n, cliEnv, ['publish:workflow', `--id=${example.workflow.id}`], { logFile: cliLog, allowFailure: true });
	}

	onStep(`starting n8n on port ${port} (a new data folder first prepares its database: about a minute)`);
	const server = await H.startN8nServer(n8n, env, { logFile, port });
	const rest = new H.N8nRest(server.url, n8n);
	let login = `Log in as ${ownerEmail} / ${ownerPassword}`;
	let loggedIn = false;
	try {
		const created = await rest.setupOwner({ email: ownerEmail, password: ownerPassword });
		await rest.login(ownerEmail, ownerPassword);
		loggedIn = true;
		const workflows = await rest.workflows();
		onStep(`${created ? 'owner account created' : 'owner account exists'}; ${workflows.length} workflows in n8n`);
	} catch (error) {
		login = `Log in with the owner account you created in this n8n (${userFolder}); to start over, stop this and delete that folder.`;
		onStep(`could not log in as ${ownerEmail}: ${error.message.split('\n')[0]}`);
	}
	return { n8n, pkg, sandbox, server, rest, examples, login, loggedIn, logFile, editorUrl: `http://localhost:${port}`, port };
}
