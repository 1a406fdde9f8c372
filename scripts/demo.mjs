// npm run demo: headless. Runs example pipelines end to end inside real n8n (`n8n execute`) against the
// Higgsfield sandbox and copies their result files out of n8n's binary data store into a folder.
//   npm run demo [-- <output folder>]     (default ./demo-output; HF_DEMO_KEEP=1 keeps the n8n folder)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as H from './lib/harness.mjs';
import { ensureN8nWithProgress } from './lib/sandboxed-n8n.mjs';

const OUT = path.resolve(process.argv[2] || process.env.HF_DEMO_OUT || 'demo-output');

/** The pipelines run, and which node outputs become which files. */
const PIPELINES = [
	{
		id: 'hfExTextImgVideo',
		files: [
			{ node: 'Generate Image', file: 'text-to-image.png', mimeType: 'image/png' },
			{ node: 'Animate Image', file: 'image-to-video.mp4', mimeType: 'video/mp4' },
		],
	},
	{
		id: 'hfExTalkAvatar01',
		files: [
			{ node: 'Make Voice WAV', property: 'voice', file: 'talking-avatar-voice.wav', mimeType: 'audio/wav' },
			{ node: 'Talking Avatar', file: 'talking-avatar.mp4', mimeType: 'video/mp4' },
		],
	},
];

async function main() {
	H.stopAllOnSignals();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-demo-'));
	const userFolder = path.join(work, 'n8n-home');
	try {
		const n8n = await ensureN8nWithProgress('demo', path.join(os.tmpdir(), 'hf-demo-install-n8n.log'));
		const pkg = await H.installPackage(userFolder, { workDir: work });
		H.say('demo', `built, packed and installed ${path.basename(pkg.tarball)} into a fresh n8n folder (${userFolder})`);
		const sandbox = await H.startSandbox({ port: await H.freePort(), args: ['--job-seconds', '1'], logFile: path.join(work, 'sandbox.log') });
		H.say('demo', `Higgsfield sandbox on ${sandbox.url}`);

		const env = H.n8nEnv(n8n, { userFolder, encryptionKey: 'hf-demo-encryption-key-0123456789', brokerPort: await H.freePort() });
		const credentialsFile = path.join(work, 'credentials.json');
		H.writeSandboxCredential(credentialsFile, { baseUrl: sandbox.url, webhookSecret: 'hf-demo-webhook-secret' });
		await H.n8nCli(n8n, env, ['import:credentials', `--input=${credentialsFile}`]);
		const examples = H.readWorkflows(H.EXAMPLES_DIR).filter((example) => PIPELINES.some((pipeline) => pipeline.id === example.workflow.id));
		const dir = path.join(work, 'workflows');
		fs.mkdirSync(dir);
		for (const example of examples) fs.copyFileSync(example.file, path.join(dir, example.name));
		await H.n8nCli(n8n, env, ['import:workflow', '--separate', `--input=${dir}`]);
		H.say('demo', `imported the sandbox credential and ${examples.length} example workflows`);

		fs.mkdirSync(OUT, { recursive: true });
		const written = [];
		for (const pipeline of PIPELINES) {
			const example = examples.find((candidate) => candidate.workflow.id === pipeline.id);
			H.say('demo', `running "${example.workflow.name}" with n8n execute --id=${pipeline.id}`);
			const result = await H.executeWorkflow(n8n, env, pipeline.id);
			if (!result.ok) {
				const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
				throw new Error(`the workflow failed (exit ${result.code}): ${result.error?.message ?? ''}\n${tail}`);
			}
			const nodes = Object.keys(result.run.data.resultData.runData);
			H.say('demo', `  done in ${result.seconds.toFixed(1)} s: ${nodes.join(' -> ')}`);
			for (const spec of pipeline.files) {
				const [item] = H.nodeItems(result.run, spec.node) ?? [];
				const binary = item?.binary?.[spec.property ?? 'data'];
				const bytes = H.binaryBytes(userFolder, binary);
				if (!bytes || binary.mimeType !== spec.mimeType) throw new Error(`"${spec.node}" did not output a ${spec.mimeType} file`);
				const target = path.join(OUT, spec.file);
				fs.writeFileSync(target, bytes);
				written.push({ file: target, bytes: bytes.length, mimeType: binary.mimeType, node: spec.node, workflow: example.workflow.name, jobSetId: item.json.id ?? null, prompt: item.json.input_params?.prompt ?? null });
				H.say('demo', `  ${spec.node}: ${binary.mimeType}, ${bytes.length} bytes -> ${path.relative(process.cwd(), target) || target}`);
			}
		}
		fs.writeFileSync(path.join(OUT, 'demo-summary.json'), `${JSON.stringify({ n8n: n8n.version, node: n8n.nodeVersion, sandbox: sandbox.url, files: written }, null, 2)}\n`);
		await sandbox.stop();

		console.log(`\nDemo finished: ${PIPELINES.length} pipelines ran inside real n8n ${n8n.version} against the Higgsfield sandbox.`);
		console.log(`Result files in ${OUT}:`);
		for (const entry of written) console.log(`  ${path.basename(entry.file).padEnd(28)} ${entry.mimeType.padEnd(10)} ${String(entry.bytes).padStart(8)} bytes  (${entry.node})`);
		console.log('  demo-summary.json            what ran, job set ids and prompts');
		console.log('The sandbox makes placeholder media (a patterned PNG, a short test MP4); with the real service the same workflows produce real images and videos.');
		return 0;
	} finally {
		await H.stopAll();
		if (process.env.HF_DEMO_KEEP === '1') console.log(`n8n folder kept: ${userFolder}`);
		else fs.rmSync(work, { recursive: true, force: true });
	}
}

main()
	.then((code) => process.exit(code))
	.catch(async (error) => {
		console.error(`\ndemo failed: ${error.message ?? error}`);
		await H.stopAll();
		process.exit(1);
	});
