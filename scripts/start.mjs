// npm run start:n8n: real n8n on http://localhost:5678 with this package loaded, the Higgsfield sandbox
// running beside it, its credential and the example workflows imported, and an owner account ready.
// Runs in the foreground; Ctrl-C stops n8n and the sandbox. Settings (environment):
//   HF_N8N_USER_FOLDER   n8n's data folder (default ~/.n8n-higgsfield-sandbox; kept between runs)
//   HF_N8N_OWNER_EMAIL / HF_N8N_OWNER_PASSWORD   the owner account made on the first run
//   HF_SANDBOX_PORT      sandbox port (default 4010, or a free one if taken)
//   HF_SANDBOX_ARGS      extra sandbox flags, e.g. "--job-seconds 10" (see node test/sandbox/cli.js --help)
//   HF_RESET_EXAMPLES=1  re-import the examples over your edited copies
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as H from './lib/harness.mjs';

const USER_FOLDER = path.resolve(process.env.HF_N8N_USER_FOLDER || path.join(os.homedir(), '.n8n-higgsfield-sandbox'));
const OWNER_EMAIL = process.env.HF_N8N_OWNER_EMAIL || 'owner@example.com';
const OWNER_PASSWORD = process.env.HF_N8N_OWNER_PASSWORD || 'Higgsfield-Sandbox-1';
const WEBHOOK_SECRET = 'hf-sandbox-webhook-secret';
const EDITOR_URL = `http://localhost:${H.N8N_PORT}`;

function userN8nSettings() {
	// the user's own N8N_* settings win over ours (e.g. N8N_LISTEN_ADDRESS=0.0.0.0 in a container)
	return Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('N8N_') && name !== 'N8N_USER_FOLDER'));
}

async function main() {
	H.stopAllOnSignals(async () => console.log('\nStopping n8n and the sandbox...'));
	if (!(await H.portIsFree(H.N8N_PORT))) {
		throw new Error(`port ${H.N8N_PORT} is in use: is n8n already running? Stop it (or open ${EDITOR_URL}) and run again.`);
	}
	fs.mkdirSync(USER_FOLDER, { recursive: true });
	const logFile = path.join(USER_FOLDER, 'n8n.log');
	const cliLog = path.join(USER_FOLDER, 'n8n-cli.log');

	H.say('start', 'real n8n: installing on the first run (Node 24 and n8n from the npm registry, about 5 minutes, about 3 GB), reusing it afterwards');
	const n8n = await H.ensureN8n();
	H.say('start', `n8n ${n8n.version} on Node ${n8n.nodeVersion}`);

	H.say('start', 'building the package and installing its npm pack tarball into n8n (as the Community Nodes installer does)');
	const pkg = await H.installPackage(USER_FOLDER);
	H.say('start', `installed ${PKG(pkg)}`);

	let sandboxPort = Number(process.env.HF_SANDBOX_PORT || 4010);
	if (!(await H.portIsFree(sandboxPort))) sandboxPort = await H.freePort();
	const sandboxArgs = (process.env.HF_SANDBOX_ARGS || '').split(/\s+/).filter(Boolean);
	const sandbox = await H.startSandbox({ port: sandboxPort, args: sandboxArgs, logFile: path.join(USER_FOLDER, 'sandbox.log') });
	H.say('start', `Higgsfield sandbox on ${sandbox.url}`);

	const env = H.n8nEnv(n8n, { userFolder: USER_FOLDER, brokerPort: await H.freePort(), extra: userN8nSettings() });
	const cliEnv = { ...env, N8N_RUNNERS_BROKER_PORT: String(await H.freePort()) };
	const credentialsFile = path.join(USER_FOLDER, 'higgsfield-sandbox-credential.json');
	H.writeSandboxCredential(credentialsFile, { baseUrl: sandbox.url, webhookSecret: WEBHOOK_SECRET });
	await H.n8nCli(n8n, cliEnv, ['import:credentials', `--input=${credentialsFile}`], { logFile: cliLog });
	fs.rmSync(credentialsFile, { force: true });
	H.say('start', `credential "${H.SANDBOX_CREDENTIAL.name}" points at ${sandbox.url}`);

	const examples = H.readWorkflows(H.EXAMPLES_DIR);
	const existing = new Set(
		(await H.n8nCli(n8n, cliEnv, ['list:workflow', '--onlyId'], { logFile: cliLog })).stdout
			.split('\n')
			.map((line) => line.trim())
			.filter((line) => /^[A-Za-z0-9]{1,21}$/.test(line)),
	);
	const toImport = examples.filter((example) => process.env.HF_RESET_EXAMPLES === '1' || !existing.has(example.workflow.id));
	if (toImport.length > 0) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-examples-'));
		for (const example of toImport) fs.copyFileSync(example.file, path.join(dir, example.name));
		await H.n8nCli(n8n, cliEnv, ['import:workflow', '--separate', `--input=${dir}`], { logFile: cliLog });
		fs.rmSync(dir, { recursive: true, force: true });
	}
	H.say('start', `examples: ${toImport.length} imported, ${examples.length - toImport.length} already there (HF_RESET_EXAMPLES=1 re-imports them)`);
	const triggers = examples.filter((example) => H.needsPublishing(example.workflow));
	for (const example of triggers) {
		await H.n8nCli(n8n, cliEnv, ['publish:workflow', `--id=${example.workflow.id}`], { logFile: cliLog, allowFailure: true });
	}

	H.say('start', 'starting n8n (the first start prepares its database: up to a minute)');
	const server = await H.startN8nServer(n8n, env, { logFile });
	const rest = new H.N8nRest(server.url, n8n);
	let login = `Log in as ${OWNER_EMAIL} / ${OWNER_PASSWORD}`;
	try {
		const created = await rest.setupOwner({ email: OWNER_EMAIL, password: OWNER_PASSWORD });
		await rest.login(OWNER_EMAIL, OWNER_PASSWORD);
		const workflows = await rest.workflows();
		H.say('start', `${created ? 'owner account created' : 'owner account exists'}; ${workflows.length} workflows in n8n`);
	} catch (error) {
		login = `Log in with the owner account you created in this n8n (${USER_FOLDER}); to start over, stop this and delete that folder.`;
		H.say('start', `could not log in as ${OWNER_EMAIL}: ${error.message.split('\n')[0]}`);
	}

	const line = '='.repeat(78);
	console.log(`
${line}
  n8n ${n8n.version} is running with n8n-nodes-higgsfield ${pkg.version} and the Higgsfield sandbox.

  Open   ${EDITOR_URL}
  ${login}

  Workflows > the "Higgsfield example: ..." workflows: open one, press "Execute workflow".
  ${examples.map((example) => `- ${example.workflow.name}`).join('\n  ')}
  MCP server for AI agents (Claude Desktop, Cursor, any MCP client): ${new URL('mcp/higgsfield', EDITOR_URL).href}
  (the published "Higgsfield tools for AI agents (MCP server)" workflow; README: Use with AI agents)
  The credential "${H.SANDBOX_CREDENTIAL.name}" talks to the sandbox at ${sandbox.url}
  (a local fake of the Higgsfield API: no account, no credits, nothing leaves this machine).
  For the real service, add a new Higgsfield API credential (Credentials > Add) and pick it in the nodes.

  Data folder: ${USER_FOLDER}   n8n log: ${logFile}
  Press Ctrl-C to stop n8n and the sandbox.
${line}
`);

	const ended = await Promise.race([server.child.done.then(() => 'n8n'), sandbox.child.done.then(() => 'sandbox')]);
	if (H.stoppingBySignal()) return await new Promise(() => {}); // the signal handler exits
	const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-20).join('\n') : '';
	console.error(`\nThe ${ended === 'n8n' ? 'n8n server' : 'sandbox'} stopped unexpectedly.${ended === 'n8n' ? `\n${tail}` : ''}`);
	return 1;
}

function PKG(pkg) {
	return `${H.PACKAGE_NAME}@${pkg.version} (${pkg.nodes.length} nodes: ${pkg.nodes.join(', ')})`;
}

main()
	.then(async (code) => {
		await H.stopAll();
		process.exit(code);
	})
	.catch(async (error) => {
		console.error(`\nstart:n8n failed: ${error.message ?? error}`);
		await H.stopAll();
		process.exit(1);
	});
