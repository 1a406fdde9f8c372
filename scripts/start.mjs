// npm run start:n8n: real n8n on http://localhost:5678 with this package loaded, the Higgsfield sandbox
// running beside it, its credential and the example workflows imported, and an owner account ready.
// Runs in the foreground; Ctrl-C stops n8n and the sandbox. Settings (environment):
//   N8N_PORT             n8n's port (default 5678; HF_N8N_PORT also works)
//   HF_N8N_USER_FOLDER   n8n's data folder (default ~/.n8n-higgsfield-sandbox; kept between runs)
//   HF_N8N_OWNER_EMAIL / HF_N8N_OWNER_PASSWORD   the owner account made on the first run
//   HF_SANDBOX_PORT      sandbox port (default 4010, or a free one if taken)
//   HF_SANDBOX_ARGS      extra sandbox flags, e.g. "--job-seconds 10" (see node test/sandbox/cli.js --help)
//   HF_RESET_EXAMPLES=1  re-import the examples over your edited copies
// The first run installs n8n (scripts/lib/sandboxed-n8n.mjs: FIRST_INSTALL_ESTIMATE) and keeps the installers'
// output in <data folder>/install-n8n.log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as H from './lib/harness.mjs';
import { startSandboxedN8n } from './lib/sandboxed-n8n.mjs';

const USER_FOLDER = path.resolve(process.env.HF_N8N_USER_FOLDER || path.join(os.homedir(), '.n8n-higgsfield-sandbox'));
const OWNER_EMAIL = process.env.HF_N8N_OWNER_EMAIL || 'owner@example.com';
const OWNER_PASSWORD = process.env.HF_N8N_OWNER_PASSWORD || 'Higgsfield-Sandbox-1';

async function main() {
	H.stopAllOnSignals(async () => console.log('\nStopping n8n and the sandbox...'));
	const started = await startSandboxedN8n({
		tag: 'start',
		userFolder: USER_FOLDER,
		ownerEmail: OWNER_EMAIL,
		ownerPassword: OWNER_PASSWORD,
		sandboxPort: Number(process.env.HF_SANDBOX_PORT || 4010),
		sandboxArgs: (process.env.HF_SANDBOX_ARGS || '').split(/\s+/).filter(Boolean),
		resetExamples: process.env.HF_RESET_EXAMPLES === '1',
	});
	const { n8n, pkg, sandbox, server, examples, login, logFile, editorUrl } = started;

	const line = '='.repeat(78);
	console.log(`
${line}
  n8n ${n8n.version} is running with n8n-nodes-higgsfield ${pkg.version} and the Higgsfield sandbox.

  Open   ${editorUrl}
  ${login}

  Workflows > the "Higgsfield example: ..." workflows: open one, press "Execute workflow".
  ${examples.map((example) => `- ${example.workflow.name}`).join('\n  ')}
  MCP server for AI agents (Claude Desktop, Cursor, any MCP client): ${new URL('mcp/higgsfield', editorUrl).href}
  (the published "Higgsfield tools for AI agents (MCP server)" workflow; README: Use with AI agents)
  The credential "${H.SANDBOX_CREDENTIAL.name}" talks to the sandbox at ${sandbox.url}
  (a local fake of the Higgsfield API: no account, no credits, nothing leaves this machine;
  every request it received: ${sandbox.url}/__sandbox/log). It is rewritten at every start:
  for the real service, add your own Higgsfield API credential (Credentials > Add) and pick it in the nodes.

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
