// The end-to-end suite: this package inside real n8n, against the Higgsfield sandbox.
// Run it with `npm run test:e2e` (e2e/run.sh). Options (environment):
//   HF_E2E_KEEP=1        leave .e2e/ as it is at the start (default: start from an empty n8n user folder)
//   HF_E2E_ONLY=a,b      run only the scenarios whose names contain one of these words
//   HF_E2E_ALLOW_MISSING_NODES=1   development only: load the package even if a listed node file is missing
//   HF_E2E_N8N_VERSION=1.123.81    another n8n version (npm run test:e2e:n8n1): 1.x runs on this machine's
//                        Node; a scenario that needs 2.x prints a SKIP line. Work files: .e2e-n8n-<version>/
//   HF_E2E_N8N_NODE=24   run n8n 1.x on Node 24 (default: this machine's Node)
//   HF_N8N_PORT=5690     n8n's port (default 5678)
import fs from 'node:fs';
import path from 'node:path';

import * as H from '../scripts/lib/harness.mjs';
import { aiAgentScenario, mcpScenarios } from './agents.mjs';
import { CheckFailed, check, createReport } from './report.mjs';

const N8N_VERSION = process.env.HF_E2E_N8N_VERSION?.trim() || undefined;
const WORK = path.join(H.ROOT, N8N_VERSION ? `.e2e-n8n-${N8N_VERSION}` : '.e2e');
const USER_FOLDER = path.join(WORK, 'n8n-home');
const LOGS = path.join(WORK, 'logs');
const RUNS = path.join(WORK, 'runs');
const E2E_WORKFLOWS = path.join(H.ROOT, 'e2e', 'workflows');
const WEBHOOK_SECRET = 'e2e-webhook-secret-7f3a9c';
const ENCRYPTION_KEY = 'hf-e2e-encryption-key-0123456789abcdef';

const EX = {
	video: 'hfExTextImgVideo',
	avatar: 'hfExTalkAvatar01',
	character: 'hfExCharacter001',
	webhookSend: 'hfExWebhookSend1',
	webhookTrigger: 'hfExWebhookTrig1',
	many: 'hfExManyPrompts1',
	nanoKling: 'hfExNanoKling001',
	veo: 'hfExVeoSound0001',
	rows: 'hfExRowsIdemKey1',
};
const GET_JOB_SET_WORKFLOW = 'hfE2eGetJobSet01';
const WAIT_MANY_WORKFLOW = 'hfE2eWaitMany001';
const WAIT_TIMEOUT_WORKFLOW = 'hfE2eWaitTimeout';
const NO_SECRET_TRIGGER = 'hfE2eTrigNoSecret';
const NO_SECRET_WEBHOOK_ID = '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a';
const WAIT_WORKFLOW = 'hfE2eWaitWebhook';
const WEBHOOK_ID = '5f0c6d2e-7a1b-4c3d-9e8f-0a1b2c3d4e5f';
const TRIGGER_URL = `http://127.0.0.1:${H.N8N_PORT}/webhook/${WEBHOOK_ID}/higgsfield`;
// signed webhooks (Standard Webhooks): the sandbox signs every delivery with SIGNING_SECRET
const SIGNING_SECRET = `whsec_${Buffer.from('hf-e2e-signing-secret-0123456789').toString('base64')}`;
const OTHER_SIGNING_SECRET = `whsec_${Buffer.from('hf-e2e-another-secret-9876543210').toString('base64')}`;
const SIGNED_CREDENTIAL = { id: 'hfSandboxSigned1', name: 'Higgsfield Sandbox (signing secret)' };
const SIGNED_TRIGGER = 'hfE2eTrigSigned01';
const SIGNED_TRIGGER_URL = `http://127.0.0.1:${H.N8N_PORT}/webhook/7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d/higgsfield`;
const WAIT_REQUEST_WORKFLOW = 'hfE2eWaitRequest1';

// ---------------------------------------------------------------------------------------------
// reporting

const report = createReport();
const { scenario } = report;

// ---------------------------------------------------------------------------------------------
// helpers over one run

let n8n;
let cliEnv;
let serverEnv;
let sandbox;
let server;
let rest;

async function execute(workflowId, label) {
	const result = await H.executeWorkflow(n8n, cliEnv, workflowId);
	fs.writeFileSync(path.join(RUNS, `${workflowId}.out.txt`), `${result.stdout}\n--- stderr\n${result.stderr}`);
	if (!result.ok) {
		let message = result.error?.message ?? result.error?.description ?? '';
		if (!message && rest) {
			// the CLI sometimes only says "No active execution found": the stored execution has the error
			const [latest] = await rest.executions(workflowId).catch(() => []);
			const stored = latest ? await rest.execution(latest.id).catch(() => undefined) : undefined;
			message = stored?.data?.resultData?.error?.message ?? '';
		}
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n      ');
		throw new CheckFailed(`n8n execute --id=${workflowId} failed (exit ${result.code}): ${message || 'see below'}\n      ${tail}`);
	}
	check(result.run.status === 'success', `"${label}" executed in real n8n: n8n execute --id=${workflowId} -> status success (${result.seconds.toFixed(1)} s)`);
	return result.run;
}

function items(run, nodeName, expectedCount) {
	const list = H.nodeItems(run, nodeName);
	check(Array.isArray(list), `node "${nodeName}" ran`);
	if (expectedCount !== undefined) {
		check(list.length === expectedCount, `node "${nodeName}" output ${expectedCount} item(s)`, list.length);
	}
	return list;
}

const SIGNATURES = { 'image/png': ['png', 'PNG signature 89 50 4E 47'], 'video/mp4': ['mp4', "MP4 'ftyp' box"], 'audio/wav': ['wav', 'RIFF/WAVE header'] };

/**
 * Checks a binary entry: MIME type, stored in n8n's filesystem store, the file's signature and,
 * given the result URL, that the stored bytes are exactly the file the sandbox serves there.
 */
async function checkBinary(item, property, mimeType, label, sourceUrl) {
	const binary = item.binary?.[property];
	check(binary !== undefined, `${label}: binary property "${property}" present`, Object.keys(item.binary ?? {}));
	check(binary.mimeType === mimeType, `${label}: mimeType ${mimeType}`, binary.mimeType);
	const file = H.binaryFile(USER_FOLDER, binary);
	const bytes = H.binaryBytes(USER_FOLDER, binary);
	check(bytes !== undefined && bytes.length > 0, `${label}: bytes found (${file ? `n8n binary store: ${path.relative(USER_FOLDER, file)}` : 'inline'}, ${bytes?.length ?? 0} bytes)`);
	const [kind, description] = SIGNATURES[mimeType];
	check(H.signatures[kind](bytes), `${label}: file starts with the ${description}`, bytes?.subarray(0, 12).toString('hex'));
	if (sourceUrl) {
		const served = Buffer.from(await (await fetch(sourceUrl)).arrayBuffer());
		check(served.equals(bytes), `${label}: stored bytes equal the result file served at ${new URL(sourceUrl).pathname}`, { stored: bytes.length, served: served.length });
	}
	return bytes;
}

/** The sandbox's request log is kept whole; a scenario reads the entries after its mark. */
async function logMark() {
	const log = await sandbox.log();
	return log.length > 0 ? log[log.length - 1].seq : 0;
}

async function sandboxLog(mark = 0) {
	return (await sandbox.log()).filter((entry) => entry.seq > mark);
}

const posts = (log, pathName) => log.filter((entry) => entry.method === 'POST' && entry.path === pathName);

// ---------------------------------------------------------------------------------------------
// scenarios

async function textToImageToVideo() {
	const mark = await logMark();
	const run = await execute(EX.video, 'text to image to video');
	const [image] = items(run, 'Generate Image', 1);
	check(image.json.status === 'completed', 'Soul job set completed', image.json.status);
	await checkBinary(image, 'data', 'image/png', 'Soul result', image.json.result_urls?.[0]);
	const [video] = items(run, 'Animate Image', 1);
	check(video.json.status === 'completed', 'DoP job set completed', video.json.status);
	await checkBinary(video, 'data', 'video/mp4', 'DoP result', video.json.result_urls?.[0]);
	const log = await sandboxLog(mark);
	const uploadUrl = posts(log, '/files/generate-upload-url');
	const puts = log.filter((entry) => entry.method === 'PUT' && entry.path.startsWith('/s3/higgsfield-uploads/'));
	check(uploadUrl.length === 1 && puts.length === 1 && puts[0].status === 200, 'the Soul PNG was uploaded to Higgsfield (generate-upload-url, then PUT 200)', { uploadUrl: uploadUrl.length, puts: puts.map((p) => p.status) });
	const [dop] = posts(log, '/v1/image2video/dop');
	const startImage = dop?.body?.params?.input_images?.[0]?.image_url;
	check(dop?.accepted === true && /\/files\/uploads\//.test(startImage ?? ''), 'DoP was submitted once, with the uploaded image as its start image', startImage);
	check(dop.body.params.model === 'dop-lite', 'DoP model dop-lite sent', dop.body.params.model);
}

async function talkingAvatar() {
	const mark = await logMark();
	const run = await execute(EX.avatar, 'image and voice to talking avatar');
	const [portrait] = items(run, 'Generate Portrait', 1);
	check(portrait.json.status === 'completed' && portrait.binary === undefined, 'portrait completed, not downloaded (URL only)', { status: portrait.json.status, binary: portrait.binary });
	const portraitUrl = portrait.json.result_urls?.[0];
	const [voice] = items(run, 'Make Voice WAV', 1);
	await checkBinary(voice, 'voice', 'audio/wav', 'voice made by the Code node');
	const [avatar] = items(run, 'Talking Avatar', 1);
	check(avatar.json.status === 'completed', 'Speak job set completed', avatar.json.status);
	await checkBinary(avatar, 'data', 'video/mp4', 'Speak result', avatar.json.result_urls?.[0]);
	const log = await sandboxLog(mark);
	const [speak] = posts(log, '/v1/speak/higgsfield');
	const params = speak?.body?.params ?? {};
	check(speak?.accepted === true && params.input_image?.image_url === portraitUrl, 'Speak got the portrait URL by expression ({{ $json.result_urls[0] }})', params.input_image);
	check(/\/files\/uploads\/.+\.wav$/.test(params.input_audio?.audio_url ?? ''), 'Speak got the uploaded WAV as its audio', params.input_audio);
	check(params.duration === 5 && params.quality === 'mid', 'Speak duration 5 and quality mid sent', { duration: params.duration, quality: params.quality });
}

async function characterThenGenerate() {
	const mark = await logMark();
	const run = await execute(EX.character, 'train a character, then generate with it');
	const [photos] = items(run, 'Reference Photos', 1);
	check(photos.json.result_urls?.length === 4, 'a batch of 4 reference photos', photos.json.result_urls?.length);
	const [character] = items(run, 'Create Character', 1);
	check(character.json.status === 'completed' && typeof character.json.id === 'string', `character trained (waited until status completed): ${character.json.id}`, character.json);
	const [image] = items(run, 'Generate With Character', 1);
	check(image.json.status === 'completed', 'Soul with the character completed', image.json.status);
	await checkBinary(image, 'data', 'image/png', 'Soul result with the character', image.json.result_urls?.[0]);
	const log = await sandboxLog(mark);
	const [create] = posts(log, '/v1/custom-references');
	const sentImages = (create?.body?.input_images ?? []).map((entry) => entry.image_url);
	check(create?.accepted === true && JSON.stringify(sentImages) === JSON.stringify(photos.json.result_urls), 'the character was created once from the 4 photo URLs', sentImages);
	const souls = posts(log, '/v1/text2image/soul').filter((entry) => entry.accepted);
	check(souls.length === 2 && souls[1].body.params.custom_reference_id === character.json.id, 'the second Soul job used the new character id by expression ({{ $json.id }})', souls.map((entry) => entry.body.params.custom_reference_id));
}

async function manyPrompts() {
	const mark = await logMark();
	const since = Date.now();
	const run = await execute(EX.many, 'many prompts to images, concurrently');
	const rows = items(run, 'Prompts', 8);
	const images = items(run, 'Generate Images', 8);
	for (const [index, image] of images.entries()) {
		if (image.json.input_params?.prompt !== rows[index].json.prompt || image.pairedItem?.item !== index) {
			throw new CheckFailed(`output ${index} does not belong to row ${index}: ${JSON.stringify({ prompt: image.json.input_params?.prompt, pairedItem: image.pairedItem })}`);
		}
		const binary = image.binary?.data;
		const bytes = H.binaryBytes(USER_FOLDER, binary);
		if (binary?.mimeType !== 'image/png' || !H.signatures.png(bytes)) throw new CheckFailed(`output ${index}: not a stored PNG`);
		const served = Buffer.from(await (await fetch(image.json.preview_urls[0])).arrayBuffer());
		if (!served.equals(bytes)) throw new CheckFailed(`output ${index}: the stored PNG is not the preview (min) file of its job`);
	}
	check(true, '8 images, one per row, in row order with pairedItem, each a stored PNG equal to its job\'s preview (min) file');
	const log = await sandboxLog(mark);
	const accepted = posts(log, '/v1/text2image/soul').filter((entry) => entry.accepted);
	check(accepted.length === 8, 'exactly 8 accepted submissions (one per row)', accepted.length);
	const sets = (await sandbox.jobSets()).filter((set) => set.createdAt >= since && set.kind === 'soul');
	const intervals = sets.map((set) => [set.createdAt, Math.max(...set.jobs.map((job) => job.endsAt))]);
	let peak = 0;
	for (const [start] of intervals) peak = Math.max(peak, intervals.filter(([s, e]) => s <= start && start < e).length);
	check(peak >= 2 && peak <= 4, `jobs ran concurrently within Max Concurrent Jobs (peak ${peak} in flight, cap 4)`, peak);
}

// ---- the Higgsfield node (request API)

const requestPosts = (log, modelId) => posts(log, `/${modelId}`);

async function requestStats() {
	return await sandbox.control('GET', 'request-stats');
}

/** What the editor asks n8n for: the Model list, the typed Arguments of a model, its media arguments. */
async function modelListAndFields() {
	const base = {
		nodeTypeAndVersion: { name: `${H.PACKAGE_NAME}.higgsfield`, version: 1 },
		credentials: { higgsfieldApi: { id: 'hfSandboxCreds01', name: 'Higgsfield Sandbox' } },
	};
	const parameters = (value) => ({ resource: 'request', operation: 'generate', model: { __rl: true, mode: 'list', value } });
	const dynamic = async (endpoint, body) => {
		const answer = await rest.request('POST', `/rest/dynamic-node-parameters/${endpoint}`, { ...base, ...body });
		check(answer.status === 200, `POST /rest/dynamic-node-parameters/${endpoint} answered 200`, answer.text.slice(0, 300));
		return answer.json.data;
	};
	const list = await dynamic('resource-locator-results', { path: 'parameters.model', methodName: 'searchModels', filter: 'kling image', currentNodeParameters: parameters('') });
	check(
		list.results.length === 4 && list.results.every((result) => /^Video · kling-video\/.+\/image-to-video — /.test(result.name)),
		'Model "From List" searched for "kling image": the 4 Kling image-to-video models, labelled "Video · <id> — <description>"',
		list.results,
	);
	const mapper = await dynamic('resource-mapper-fields', { path: 'parameters.modelArguments', methodName: 'getModelArguments', currentNodeParameters: parameters('veo3.1') });
	const fields = Object.fromEntries(mapper.fields.map((field) => [field.id, field]));
	check(
		fields.prompt?.required === true && fields.duration?.type === 'options' && fields.duration.options.map((option) => option.value).join() === '4,6,8' && fields.generate_audio?.type === 'boolean',
		'veo3.1 Arguments: prompt required, duration a dropdown of 4/6/8, generate_audio a boolean',
		mapper.fields,
	);
	const unknown = await dynamic('resource-mapper-fields', { path: 'parameters.modelArguments', methodName: 'getModelArguments', currentNodeParameters: parameters('acme/new-model') });
	check(unknown.fields.length === 0 && /Extra Arguments \(JSON\)/.test(unknown.emptyFieldsNotice ?? ''), 'a model id the catalogue does not know: no fields, a notice pointing to Extra Arguments (JSON)', unknown);
	const media = await dynamic('options', { path: 'parameters.binaryInputs.files.argument', methodName: 'getMediaArguments', currentNodeParameters: parameters('veo3.1/first-last-frame-to-video') });
	check(media.map((option) => option.value).join() === 'first_frame_url,last_frame_url', 'Files From Binary Data offers the media arguments of the model (first_frame_url, last_frame_url)', media);
}

async function nanoBananaThenKling() {
	const mark = await logMark();
	const run = await execute(EX.nanoKling, 'nano-banana image, then Kling image to video');
	const [image] = items(run, 'Make Image', 1);
	check(image.json.status === 'completed' && image.json.model === 'nano-banana' && image.json.outputs?.length === 1, `nano-banana request completed (${image.json.request_id}, 1 output)`, image.json);
	await checkBinary(image, 'data', 'image/png', 'nano-banana result', image.json.outputs[0]);
	const [video] = items(run, 'Animate With Kling', 1);
	check(video.json.status === 'completed' && video.json.model === 'kling-video/v2.1/pro/image-to-video', `Kling request completed (${video.json.request_id})`, video.json);
	await checkBinary(video, 'data', 'video/mp4', 'Kling result', video.json.outputs?.[0]);
	const log = await sandboxLog(mark);
	const [nano] = requestPosts(log, 'nano-banana');
	check(
		nano?.accepted === true && JSON.stringify(nano.body) === JSON.stringify({ prompt: 'A red fox in fresh snow at sunrise, cinematic light', aspect_ratio: '16:9', num_images: 1, output_format: 'png' }),
		'POST /nano-banana with the flat body of the typed arguments',
		nano?.body,
	);
	check(/^n8n-[A-Za-z0-9_-]{43}$/.test(nano.headers['idempotency-key'] ?? ''), `with a derived Idempotency-Key (${nano.headers['idempotency-key']})`, nano.headers);
	const [kling] = requestPosts(log, 'kling-video/v2.1/pro/image-to-video');
	check(kling?.accepted === true && kling.body.image_url === image.json.outputs[0] && kling.body.duration === 5, 'POST /kling-video/v2.1/pro/image-to-video with image_url = the nano-banana output (by expression) and duration 5', kling?.body);
}

async function veoWithSound() {
	const mark = await logMark();
	const run = await execute(EX.veo, 'text to Veo video with sound');
	const [video] = items(run, 'Veo Video With Sound', 1);
	check(video.json.status === 'completed' && video.json.model === 'veo3.1' && typeof video.json.expires_at === 'string', `Veo request completed (${video.json.request_id}), expires_at ${video.json.expires_at}`, video.json);
	await checkBinary(video, 'data', 'video/mp4', 'Veo result', video.json.outputs?.[0]);
	const [veo] = requestPosts(await sandboxLog(mark), 'veo3.1');
	check(veo?.accepted === true && veo.body.generate_audio === true && veo.body.duration === '8' && veo.body.resolution === '720', 'POST /veo3.1 with generate_audio true, duration "8", resolution "720"', veo?.body);
}

async function rowsWithIdempotencyKeys() {
	const keys = ['101', '102', '103'].map((id) => `${EX.rows}-row-${id}`);
	const mark = await logMark();
	const before = (await requestStats()).created;
	const first = items(await execute(EX.rows, 'rows to images (first run)'), 'Generate Images', 3);
	const ids = first.map((item) => item.json.request_id);
	check(first.every((item, index) => item.json.status === 'completed' && item.pairedItem?.item === index && item.binary?.data?.mimeType === 'image/png'), '3 images, one per row, in row order, each downloaded');
	const second = items(await execute(EX.rows, 'rows to images (re-run)'), 'Generate Images', 3);
	check(JSON.stringify(second.map((item) => item.json.request_id)) === JSON.stringify(ids), 'the re-run returned the ORIGINAL requests (same request_id per row)', { first: ids, second: second.map((item) => item.json.request_id) });
	const log = requestPosts(await sandboxLog(mark), 'nano-banana');
	check(log.length === 6 && log.filter((entry) => entry.accepted).length === 3 && log.filter((entry) => entry.replay).length === 3, '6 submissions reached the sandbox: 3 accepted on the first run, 3 answered as replays on the re-run', log.map((entry) => ({ key: entry.headers['idempotency-key'], accepted: entry.accepted, replay: entry.replay })));
	check(new Set(log.map((entry) => entry.headers['idempotency-key'])).size === 3 && log.every((entry) => keys.includes(entry.headers['idempotency-key'])), `keys are {{ $workflow.id }}-row-{{ $json.id }}: ${keys.join(', ')}`);
	const stats = await requestStats();
	const groups = stats.byKey.filter((group) => keys.includes(group.idempotencyKey));
	check(stats.created - before === 3, `the sandbox created 3 requests over both runs (nothing charged twice): ${stats.created - before}`, stats.created - before);
	check(groups.length === 3 && groups.every((group) => group.created === 1 && group.replays === 1), 'per key: 1 request created, 1 replay', groups);
}

async function dontWaitThenGetJobSet() {
	const mark = await logMark();
	const run = await execute(GET_JOB_SET_WORKFLOW, "Don't Wait, then Get Job Set");
	const [submitted] = items(run, 'Submit Only', 1);
	check(submitted.json.status !== 'completed' && submitted.binary === undefined, `Soul with Completion "Don't Wait" returned the job set at once (${submitted.json.status}, no file)`, submitted.json.status);
	const [fetched] = items(run, 'Get Job Set', 1);
	check(fetched.json.id === submitted.json.id && fetched.json.status === 'completed', 'Get Job Set (by expression {{ $json.id }}) waited until the job set completed', { id: fetched.json.id, status: fetched.json.status });
	await checkBinary(fetched, 'data', 'image/png', 'Get Job Set download (preview)', fetched.json.preview_urls?.[0]);
	const log = await sandboxLog(mark);
	const reads = log.filter((entry) => entry.method === 'GET' && entry.path === `/v1/job-sets/${submitted.json.id}`);
	check(posts(log, '/v1/text2image/soul').filter((entry) => entry.accepted).length === 1 && reads.length >= 1, `one submission, then ${reads.length} status read(s) of that job set`, reads.length);
}

async function webhookToTrigger() {
	const mark = await logMark();
	const before = await rest.executions(EX.webhookTrigger);
	const run = await execute(EX.webhookSend, 'submit with a webhook (part 1)');
	const [submitted] = items(run, 'Generate Image', 1);
	const jobSetId = submitted.json.id;
	check(typeof jobSetId === 'string' && submitted.json.status !== 'completed', `the node returned the job set at once, not waiting (${jobSetId}, ${submitted.json.status})`, submitted.json.status);
	const log = await sandboxLog(mark);
	const [post] = posts(log, '/v1/text2image/soul');
	check(post?.body?.webhook?.url === TRIGGER_URL, `webhook.url sent beside params = the trigger's production URL (${TRIGGER_URL})`, post?.body?.webhook);
	check(post.body.webhook.secret === WEBHOOK_SECRET, "webhook.secret sent = the credential's webhook secret (the node's field was left empty)");

	const delivery = await H.waitFor(async () => (await sandbox.webhooks()).find((entry) => entry.jobSetId === jobSetId && entry.status !== 'pending'), { timeoutMs: 30_000 });
	check(delivery !== undefined, 'the sandbox delivered the webhook when the job finished');
	check(delivery.status === 200, `the Higgsfield Trigger accepted the right secret: HTTP ${delivery.status}`, delivery);
	const execution = await waitForNewExecution(EX.webhookTrigger, before.length);
	check(execution.status === 'success', `the trigger workflow ran: execution ${execution.id}, status success`, execution.status);
	const runData = execution.data.resultData.runData;
	const [triggered] = runData['Higgsfield Trigger'][0].data.main[0];
	check(triggered.json.id === jobSetId && triggered.json.status === 'completed', 'the trigger execution contains the job set (same id, completed)', { id: triggered.json.id, status: triggered.json.status });
	await checkBinary(triggered, 'data', 'image/png', 'trigger download', triggered.json.result_urls?.[0]);
	const [finished] = runData['Finished Job'][0].data.main[0];
	check(finished.json.job_set_id === jobSetId && /^http/.test(finished.json.image_url ?? ''), 'the next node got the job set id and the image URL', finished.json);
	return { jobSetId, body: delivery.body };
}

/** Runs a Wait for Webhook workflow with the CLI; it must end "waiting". Returns what the later steps need. */
async function startWaitingExecution(workflowId, label) {
	const mark = await logMark();
	const result = await H.executeWorkflow(n8n, cliEnv, workflowId);
	fs.writeFileSync(path.join(RUNS, `${workflowId}.out.txt`), `${result.stdout}\n--- stderr\n${result.stderr}`);
	check(result.code === 0 && result.run?.status === 'waiting', `"${label}" executed in real n8n: n8n execute --id=${workflowId} -> status waiting`, { code: result.code, status: result.run?.status, error: result.error?.message });
	const soulPosts = posts(await sandboxLog(mark), '/v1/text2image/soul');
	const resumeUrl = soulPosts[0]?.body?.webhook?.url ?? '';
	// n8n 2.x signs resume URLs (and refuses unsigned calls); 1.x's are unsigned
	const signature = n8n.major >= 2 ? '\\?signature=[0-9a-f]+' : '';
	const match = new RegExp(`^http://127\\.0\\.0\\.1:${H.N8N_PORT}/webhook-waiting/(\\d+)${signature}$`).exec(resumeUrl);
	check(match !== null, `webhook.url sent = the execution's resume URL (${resumeUrl.replace(/signature=[0-9a-f]+/, 'signature=<token>')})`, resumeUrl);
	const secret = soulPosts[0].body.webhook.secret;
	check(/^[0-9a-f]{64}$/.test(secret ?? '') && secret !== WEBHOOK_SECRET && secret !== H.SANDBOX_API_SECRET, "webhook.secret sent = the execution's own 64-hex secret (not the credential's webhook secret, not the API secret)");
	return { run: result.run, stdout: result.stdout, mark, soulPosts, resumeUrl, secret, executionId: match[1] };
}

async function executionStatus(id) {
	return (await rest.execution(id)).status;
}

async function waitUntilFinished(id, timeoutMs = 30_000) {
	return await H.waitFor(
		async () => {
			const execution = await rest.execution(id);
			return ['new', 'running', 'waiting'].includes(execution.status) ? undefined : execution;
		},
		{ timeoutMs, intervalMs: 500 },
	);
}

async function post(url, { secret, contentType = 'application/json', body }) {
	const headers = { 'content-type': contentType };
	if (secret !== undefined) headers['x-webhook-secret-key'] = secret;
	const response = await fetch(url, { method: 'POST', headers, body });
	return { status: response.status, text: await response.text() };
}

async function waitForWebhookResumes() {
	const started = Date.now();
	const waiting = await startWaitingExecution(WAIT_WORKFLOW, 'wait for webhook');
	const { run, resumeUrl, secret: S, executionId: E } = waiting;
	const waitTill = Date.parse(run.waitTill);
	check(waitTill > started + 90_000 && waitTill < Date.now() + 150_000, `waitTill is about 2 minutes ahead (${run.waitTill}: the Timeout option)`, run.waitTill);
	check(H.nodeItems(run, 'After Resume') === undefined, 'the next node has not run yet');
	const [submitted] = items(run, 'Generate and Wait', 1);
	const ID = submitted.json.id;
	check(['queued', 'in_progress'].includes(submitted.json.status), `the node shows the submitted job set while waiting (${ID}, ${submitted.json.status})`, submitted.json.status);
	check(waiting.soulPosts.length === 1, 'exactly one submission', waiting.soulPosts.length);

	const stored = await rest.execution(E);
	check(stored.status === 'waiting', `execution ${E} is stored as waiting in n8n`, stored.status);
	const metadata = stored.data?.resultData?.metadata ?? {};
	check(metadata.higgsfield_wait === '1|w2|1' && metadata.higgsfield_job_sets === ID, 'its custom data names the waiting node and the job set (higgsfield_wait, higgsfield_job_sets)', metadata);

	// refusals, while the job runs (5 s); each must leave the execution waiting
	const jobSet = await (await fetch(`${sandbox.url}/v1/job-sets/${ID}`, { headers: { 'hf-api-key': H.SANDBOX_API_KEY, 'hf-secret': H.SANDBOX_API_SECRET } })).text();
	const refusals = [
		['no secret header', await post(resumeUrl, { body: jobSet }), 401],
		['a WRONG secret', await post(resumeUrl, { secret: 'wrong', body: jobSet }), 401],
		...(n8n.major >= 2 ? [['no signature in the URL (refused by n8n)', await post(resumeUrl.replace(/\?.*$/, ''), { secret: S, body: jobSet }), 401]] : []),
		['a job set that is not finished yet (kept waiting)', await post(resumeUrl, { secret: S, body: jobSet }), 200],
		['a body that is not a job set', await post(resumeUrl, { secret: S, contentType: 'text/plain', body: 'done' }), 400],
	];
	for (const [what, answer, expected] of refusals) {
		check(answer.status === expected, `resume URL called with ${what}: HTTP ${answer.status}`, answer);
	}
	if (n8n.major < 2) console.log(`    SKIP resume URL called without its signature: n8n ${n8n.version} does not sign resume URLs (2.x refuses an unsigned call)`);
	const unfinished = refusals.find(([what]) => what.startsWith('a job set that is not finished'))[1];
	check(/not finished yet.*still waiting/.test(unfinished.text), 'the unfinished job set is answered "still waiting"', unfinished.text);
	check((await executionStatus(E)) === 'waiting', `execution ${E} is still waiting after these calls`);

	const delivery = await H.waitFor(async () => (await sandbox.webhooks()).find((entry) => entry.jobSetId === ID && entry.url === resumeUrl && entry.status !== 'pending'), { timeoutMs: 30_000 });
	check(delivery?.status === 200, `the sandbox called the resume URL when the job finished, with the execution's secret: HTTP ${delivery?.status}`, delivery && { status: delivery.status, error: delivery.error });
	const finished = await waitUntilFinished(E);
	check(finished?.status === 'success', `execution ${E} resumed and finished: status ${finished?.status}`, finished?.status);
	const runData = finished.data.resultData.runData;
	check(runData['Generate and Wait'].length === 1, 'the node has ONE run (the resume replaced the waiting output)', runData['Generate and Wait'].length);
	const generated = runData['Generate and Wait'][0].data.main[0];
	check(generated.length === 1 && generated[0].json.id === ID && generated[0].json.status === 'completed', 'after the resume the node output the completed job set', generated.map((item) => [item.json.id, item.json.status]));
	await checkBinary(generated[0], 'data', 'image/png', 'Wait for Webhook download', generated[0].json.result_urls?.[0]);
	const [after] = runData['After Resume'][0].data.main[0];
	check(after.json.job_set_id === ID && after.json.status === 'completed', 'the next node ran after the resume with the job set', after.json);

	const again = await sandbox.deliver(ID, { url: resumeUrl, secret: S });
	check(again.status === 409, `a further delivery after the resume is answered ${again.status} by n8n (execution finished)`, again);
	const unchanged = await rest.execution(E);
	check(unchanged.data.resultData.runData['Generate and Wait'].length === 1 && unchanged.data.resultData.runData['After Resume'].length === 1, 'the execution is unchanged (one run of each node)');
	const serialized = `${JSON.stringify(unchanged)}\n${waiting.stdout}`;
	check(!serialized.includes(S) && !serialized.includes(H.SANDBOX_API_SECRET), "neither the execution's secret nor the API secret appears in the execution or the CLI output");
}

async function waitForWebhookManyItems() {
	const waiting = await startWaitingExecution(WAIT_MANY_WORKFLOW, 'wait for webhook, 3 items');
	const { soulPosts, resumeUrl, executionId: E } = waiting;
	check(soulPosts.length === 3 && soulPosts.every((entry) => entry.body.webhook.url === resumeUrl && entry.body.webhook.secret === waiting.secret), 'three submissions, all with the same resume URL and secret', soulPosts.length);
	const ids = items(waiting.run, 'Generate and Wait', 3).map((item) => item.json.id);
	const deliveriesFor = async () => (await sandbox.webhooks()).filter((entry) => ids.includes(entry.jobSetId) && entry.status !== 'pending');
	const firstTwo = await H.waitFor(async () => ((await deliveriesFor()).length >= 2 ? await deliveriesFor() : undefined), { timeoutMs: 20_000, intervalMs: 100 });
	const statusAfterTwo = await executionStatus(E);
	check(firstTwo?.slice(0, 2).every((entry) => entry.status === 200), 'the first two deliveries (1 s and 3 s jobs) were answered 200', firstTwo?.map((entry) => entry.status));
	check(firstTwo.length === 2 && statusAfterTwo === 'waiting', `after two of three job sets the execution is still waiting (${statusAfterTwo})`, { deliveries: firstTwo.length, status: statusAfterTwo });
	const all = await H.waitFor(async () => ((await deliveriesFor()).length >= 3 ? await deliveriesFor() : undefined), { timeoutMs: 20_000 });
	check(all?.[2]?.status === 200, 'the third delivery was answered 200', all?.map((entry) => entry.status));
	const finished = await waitUntilFinished(E);
	check(finished?.status === 'success', `the third resumed execution ${E}: status ${finished?.status}`, finished?.status);
	const output = finished.data.resultData.runData['Generate and Wait'][0].data.main[0];
	check(
		output.length === 3 && output.every((item, index) => item.json.id === ids[index] && item.json.status === 'completed' && item.pairedItem?.item === index),
		'the node output three completed items in input order (pairedItem 0, 1, 2)',
		output.map((item) => [item.json.id, item.json.status, item.pairedItem]),
	);
	const reads = (await sandboxLog(waiting.mark)).filter((entry) => entry.method === 'GET' && entry.path.startsWith('/v1/job-sets/'));
	check(reads.length === 6 && ids.every((id) => reads.filter((entry) => entry.path === `/v1/job-sets/${id}`).length === 2), 'each delivery checked the two other job sets once: 6 status reads, 2 per job set, no others', reads.map((entry) => entry.path.slice(-8)));
}

let timeoutRun;
async function waitTimeoutStart() {
	timeoutRun = await startWaitingExecution(WAIT_TIMEOUT_WORKFLOW, 'wait for webhook, 3 s timeout');
	timeoutRun.startedAt = Date.now();
	timeoutRun.jobSetId = items(timeoutRun.run, 'Generate and Wait', 1)[0].json.id;
	check(Date.parse(timeoutRun.run.waitTill) < Date.now() + 10_000, `it waits only until ${timeoutRun.run.waitTill} (Timeout 0.05 min); checked again at the end of the suite`);
}

async function waitTimeoutEnd() {
	check(timeoutRun !== undefined, 'the timed-out execution was started');
	const E = timeoutRun.executionId;
	const remaining = Math.max(20_000, timeoutRun.startedAt + 80_000 - Date.now());
	console.log(`    ..  waiting up to ${Math.round(remaining / 1000)} s more for n8n's WaitTracker (it looks every 60 s)`);
	const finished = await waitUntilFinished(E, remaining);
	check(finished?.status === 'success', `execution ${E} ended when its wait ran out: status ${finished?.status}, ${((Date.parse(finished?.stoppedAt) - timeoutRun.startedAt) / 1000).toFixed(0)} s after it started`, finished?.status);
	const output = finished.data.resultData.runData['Generate and Wait'].at(-1).data.main[0];
	const expected = {
		wait_timed_out: true,
		job_set_id: timeoutRun.jobSetId,
		wait_message: `No callback from Higgsfield within the Timeout (0.05 minutes): job set ${timeoutRun.jobSetId} may still be running. Fetch it with the Get Job Set node and ID ${timeoutRun.jobSetId}.`,
	};
	check(
		output.length === 1 && JSON.stringify(output[0].json) === JSON.stringify(expected),
		"the node's output is its input item ({} from the Manual Trigger) marked wait_timed_out: true with the job set id: n8n skips a waiting node whose wait ran out",
		output.map((item) => item.json),
	);
	const metadata = finished.data.resultData.metadata ?? {};
	check(metadata.higgsfield_job_sets === timeoutRun.jobSetId, `the custom data keeps the job set id (${timeoutRun.jobSetId}) to pick it up with Get Job Set`, metadata);
	const later = (await sandboxLog(timeoutRun.soulPosts[0].seq)).filter((entry) => entry.path.includes(timeoutRun.jobSetId));
	check(later.length === 0, 'no request about that job set reached the sandbox after the submission', later.map((entry) => `${entry.method} ${entry.path}`));
}

async function triggerExtras(delivered) {
	const before = (await rest.executions(EX.webhookTrigger)).length;
	const malformed = await post(TRIGGER_URL, { secret: WEBHOOK_SECRET, body: '{"id": "x", "jobs": [' });
	check(malformed.status === 422, `malformed JSON with the right secret: HTTP ${malformed.status} (n8n's body parser)`, malformed);
	const text = await post(TRIGGER_URL, { secret: WEBHOOK_SECRET, contentType: 'text/plain', body: 'hello' });
	check(text.status === 400, `a body that is not a job set, with the right secret: HTTP ${text.status} (the trigger)`, text);
	const noSecretUrl = `http://127.0.0.1:${H.N8N_PORT}/webhook/${NO_SECRET_WEBHOOK_ID}/higgsfield`;
	const noSecretBefore = (await rest.executions(NO_SECRET_TRIGGER)).length;
	for (const [what, secret] of [['the suite secret', WEBHOOK_SECRET], ['an empty secret', ''], ['no header', undefined]]) {
		const answer = await post(noSecretUrl, { secret, body: JSON.stringify(delivered.body) });
		check(answer.status === 401, `a trigger whose credential has no Webhook Secret refuses ${what}: HTTP ${answer.status}`, answer);
	}
	await H.sleep(2000);
	const after = (await rest.executions(EX.webhookTrigger)).length;
	const noSecretAfter = (await rest.executions(NO_SECRET_TRIGGER)).length;
	check(after === before && noSecretAfter === noSecretBefore, `no execution started (${before} -> ${after}; ${noSecretBefore} -> ${noSecretAfter})`);
}

async function waitForNewExecution(workflowId, countBefore, timeoutMs = 30_000) {
	const summary = await H.waitFor(
		async () => {
			const list = await rest.executions(workflowId);
			const finished = list.filter((entry) => !['new', 'running', 'waiting'].includes(entry.status));
			return list.length > countBefore && finished.length > countBefore ? list[0] : undefined;
		},
		{ timeoutMs, intervalMs: 500 },
	);
	check(summary !== undefined, `a new execution of ${workflowId} appeared`);
	return await rest.execution(summary.id);
}

async function wrongSecretRefused(delivered) {
	const before = (await rest.executions(EX.webhookTrigger)).length;
	const wrong = await sandbox.deliver(delivered.jobSetId, { url: TRIGGER_URL, secret: 'not-the-secret' });
	check(wrong.status === 401, `the Higgsfield Trigger refused a WRONG secret: HTTP ${wrong.status}`, wrong);
	const missing = await fetch(TRIGGER_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(delivered.body) });
	check(missing.status === 401, `the Higgsfield Trigger refused a delivery WITHOUT the secret header: HTTP ${missing.status}`, missing.status);
	const prefix = await fetch(TRIGGER_URL, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-webhook-secret-key': WEBHOOK_SECRET.slice(0, -1) },
		body: JSON.stringify(delivered.body),
	});
	check(prefix.status === 401, `the Higgsfield Trigger refused a secret one character short: HTTP ${prefix.status}`, prefix.status);
	await H.sleep(2000);
	const after = (await rest.executions(EX.webhookTrigger)).length;
	check(after === before, `no new execution after the refused deliveries (${before} before, ${after} after)`, { before, after });
}

async function duplicateIgnored(delivered) {
	const before = (await rest.executions(EX.webhookTrigger)).length;
	const again = await sandbox.deliver(delivered.jobSetId, { url: TRIGGER_URL, secret: WEBHOOK_SECRET });
	check(again.status === 200, `a duplicate delivery with the right secret is answered ${again.status}`, again);
	await H.sleep(2000);
	const after = (await rest.executions(EX.webhookTrigger)).length;
	check(after === before, `the duplicate started no execution (${before} before, ${after} after)`, { before, after });
}

// ---- signed webhooks (Standard Webhooks): the trigger with a signing secret, both APIs

const HF_AUTH = () => ({ 'hf-api-key': H.SANDBOX_API_KEY, 'hf-secret': H.SANDBOX_API_SECRET, 'content-type': 'application/json' });

async function finishedJobSet(prompt) {
	const submitted = await (await fetch(`${sandbox.url}/v1/text2image/soul`, { method: 'POST', headers: HF_AUTH(), body: JSON.stringify({ params: { prompt, width_and_height: '1536x1536', quality: '720p' } }) })).json();
	return await H.waitFor(
		async () => {
			const set = await (await fetch(`${sandbox.url}/v1/job-sets/${submitted.id}`, { headers: HF_AUTH() })).json();
			return set.jobs.every((job) => job.status === 'completed') ? set : undefined;
		},
		{ timeoutMs: 20_000, intervalMs: 300 },
	);
}

async function signedTriggerBothApis() {
	const before = (await rest.executions(SIGNED_TRIGGER)).length;
	// v1: a job set delivered by the sandbox, signed
	const set = await finishedJobSet('A signed lighthouse');
	const v1 = await sandbox.deliver(set.id, { url: SIGNED_TRIGGER_URL, secret: '' });
	const v1Signature = Object.entries(v1.headers ?? {}).find(([name]) => name.toLowerCase() === 'webhook-signature')?.[1] ?? '';
	check(v1.status === 200 && /^v1,/.test(v1Signature), `a signed v1 job set delivery is accepted: HTTP ${v1.status}`, v1);
	const v1Execution = await waitForNewExecution(SIGNED_TRIGGER, before);
	const [v1Item] = v1Execution.data.resultData.runData['Higgsfield Trigger'][0].data.main[0];
	check(v1Item.json.id === set.id && v1Item.json.status === 'completed', `one execution (${v1Execution.id}) with the job set`, v1Item.json.id);
	await checkBinary(v1Item, 'data', 'image/png', 'signed v1 delivery download', v1Item.json.result_urls?.[0]);

	// request API: submitted with ?hf_webhook= the trigger URL; the sandbox delivers the status body, signed
	const answer = await (await fetch(`${sandbox.url}/nano-banana?hf_webhook=${encodeURIComponent(SIGNED_TRIGGER_URL)}`, { method: 'POST', headers: HF_AUTH(), body: JSON.stringify({ prompt: 'A signed kite' }) })).json();
	const requestId = answer.request_id;
	const delivery = await H.waitFor(async () => (await sandbox.webhooks()).find((entry) => entry.requestId === requestId && entry.status !== 'pending'), { timeoutMs: 30_000 });
	check(delivery?.status === 200 && typeof delivery.webhookId === 'string', `the sandbox's signed request-API delivery is accepted: HTTP ${delivery?.status} (webhook-id ${delivery?.webhookId})`, delivery);
	const requestExecution = await waitForNewExecution(SIGNED_TRIGGER, before + 1);
	const [requestItem] = requestExecution.data.resultData.runData['Higgsfield Trigger'][0].data.main[0];
	check(
		requestItem.json.request_id === requestId && requestItem.json.status === 'completed' && requestItem.json.outputs?.length === 1 && 'expires_at' in requestItem.json,
		`one execution (${requestExecution.id}) with the request node's output shape (request_id, status, model, outputs, expires_at)`,
		requestItem.json,
	);
	await checkBinary(requestItem, 'data', 'image/png', 'signed request delivery download', requestItem.json.outputs[0]);

	// refused: the same event signed with another secret; replayed: the same webhook-id again
	const wrong = await sandbox.control('POST', `redeliver/${delivery.webhookId}`, { url: SIGNED_TRIGGER_URL, signingSecret: OTHER_SIGNING_SECRET });
	check(wrong?.status === 401, `the same event signed with another secret is refused: HTTP ${wrong?.status}`, wrong);
	const old = await sandbox.control('POST', `redeliver/${delivery.webhookId}`, { url: SIGNED_TRIGGER_URL, timestampOffsetSeconds: -360 });
	check(old?.status === 401, `the same event with a timestamp 6 minutes old is refused: HTTP ${old?.status}`, old);
	const replay = await sandbox.control('POST', `redeliver/${delivery.webhookId}`, { url: SIGNED_TRIGGER_URL });
	check(replay?.status === 200, `a redelivery with the same webhook-id is answered ${replay?.status}`, replay);
	const unsigned = await post(SIGNED_TRIGGER_URL, { body: JSON.stringify(set) });
	check(unsigned.status === 401, `an unsigned call is refused: HTTP ${unsigned.status}`, unsigned);
	await H.sleep(2000);
	const after = (await rest.executions(SIGNED_TRIGGER)).length;
	check(after === before + 2, `exactly two executions in all: one per accepted delivery (${before} -> ${after})`, { before, after });
	const text = JSON.stringify([v1Execution, requestExecution]);
	check(!text.includes(SIGNING_SECRET) && !text.includes(SIGNING_SECRET.slice(6)), 'the signing secret appears in no execution');
}

async function waitForWebhookRequestApi() {
	const mark = await logMark();
	const result = await H.executeWorkflow(n8n, cliEnv, WAIT_REQUEST_WORKFLOW);
	fs.writeFileSync(path.join(RUNS, `${WAIT_REQUEST_WORKFLOW}.out.txt`), `${result.stdout}
--- stderr
${result.stderr}`);
	check(result.code === 0 && result.run?.status === 'waiting', `the Higgsfield node waits: n8n execute --id=${WAIT_REQUEST_WORKFLOW} -> status waiting`, { code: result.code, status: result.run?.status, error: result.error?.message });
	const [submission] = requestPosts(await sandboxLog(mark), 'nano-banana');
	const resumeUrl = submission?.query?.hf_webhook ?? '';
	const signature = n8n.major >= 2 ? '\\?signature=[0-9a-f]+' : '';
	const match = new RegExp(`^http://127\\.0\\.0\\.1:${H.N8N_PORT}/webhook-waiting/(\\d+)${signature}$`).exec(resumeUrl);
	check(match !== null, `?hf_webhook= is the execution's resume URL (${resumeUrl.replace(/signature=[0-9a-f]+/, 'signature=<token>')})`, resumeUrl);
	const E = match[1];
	const requestId = submission.requestId;
	// a call signed with another secret, while the request runs: refused, still waiting
	const body = JSON.stringify({ request_id: requestId, status: 'completed', images: [] });
	const forged = await fetch(resumeUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` }, body });
	check(forged.status === 401 && (await executionStatus(E)) === 'waiting', `a callback with a wrong signature is refused (HTTP ${forged.status}); execution ${E} still waits`);
	const delivery = await H.waitFor(async () => (await sandbox.webhooks()).find((entry) => entry.requestId === requestId && entry.status !== 'pending'), { timeoutMs: 30_000 });
	check(delivery?.status === 200, `the sandbox's signed callback was accepted: HTTP ${delivery?.status}`, delivery);
	const finished = await waitUntilFinished(E);
	check(finished?.status === 'success', `execution ${E} resumed and finished: status ${finished?.status}`, finished?.status);
	const [generated] = finished.data.resultData.runData['Generate and Wait'][0].data.main[0];
	check(generated.json.request_id === requestId && generated.json.status === 'completed' && generated.json.wait_timed_out === undefined, 'after the resume the node output the completed request', generated.json);
	await checkBinary(generated, 'data', 'image/png', 'request Wait for Webhook download', generated.json.outputs?.[0]);
	check(finished.data.resultData.runData['After Resume']?.[0]?.data?.main?.[0]?.[0]?.json?.request_id === requestId, 'the next node ran with the request');
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const started = Date.now();
	H.stopAllOnSignals(async () => console.log('\nstopping (signal)...'));
	if (process.env.HF_E2E_KEEP !== '1') fs.rmSync(WORK, { recursive: true, force: true });
	for (const dir of [USER_FOLDER, LOGS, RUNS]) fs.mkdirSync(dir, { recursive: true });
	if (!(await H.portIsFree(H.N8N_PORT))) throw new Error(`port ${H.N8N_PORT} is in use: stop the process that listens there (another n8n?) and run again`);

	H.say('e2e', 'installing or reusing real n8n (e2e/install-n8n.sh)');
	n8n = await H.ensureN8n({ version: N8N_VERSION, node: process.env.HF_E2E_N8N_NODE?.trim() || undefined });
	H.say('e2e', `n8n ${n8n.version} on Node ${n8n.nodeVersion} from ${n8n.dir}${n8n.expressionEngine ? ` (N8N_EXPRESSION_ENGINE=${n8n.expressionEngine}: its default engine has no build for this Node)` : ''}`);

	const pkg = await H.installPackage(USER_FOLDER, { workDir: WORK });
	H.say('e2e', `built and packed ${path.basename(pkg.tarball)} (${pkg.files} files), installed into ${path.relative(H.ROOT, pkg.target)}`);
	const fixture = H.installFixturePackage(USER_FOLDER, path.join(H.ROOT, 'e2e', 'fixtures', 'n8n-nodes-hf-e2e-scripted-model'));
	H.say('e2e', `test fixture ${path.basename(fixture)} installed beside it (a scripted chat model for the AI Agent scenario)`);
	if (pkg.missing.length > 0) H.say('e2e', `WARNING: missing node files skipped (HF_E2E_ALLOW_MISSING_NODES=1): ${pkg.missing.join(', ')}`);

	const sandboxPort = await H.freePort();
	sandbox = await H.startSandbox({
		port: sandboxPort,
		args: ['--job-seconds', '1', '--character-seconds', '1', '--webhook-signing-secret', SIGNING_SECRET],
		logFile: path.join(LOGS, 'sandbox.log'),
	});
	H.say('e2e', `sandbox on ${sandbox.url} (jobs take 1 s)`);

	// every n8n process starts a task broker (default port 5679): CLI commands run beside the server
	cliEnv = H.n8nEnv(n8n, { userFolder: USER_FOLDER, encryptionKey: ENCRYPTION_KEY, brokerPort: await H.freePort() });
	serverEnv = H.n8nEnv(n8n, { userFolder: USER_FOLDER, encryptionKey: ENCRYPTION_KEY, brokerPort: await H.freePort() });

	const credentialsFile = path.join(WORK, 'credentials.json');
	const noSecretCredential = H.sandboxCredential({ baseUrl: sandbox.url, id: 'hfSandboxNoSecret', name: 'Higgsfield Sandbox (no webhook secret)' });
	const signedCredential = H.sandboxCredential({ baseUrl: sandbox.url, ...SIGNED_CREDENTIAL });
	signedCredential.data.webhookSigningSecret = SIGNING_SECRET;
	H.writeSandboxCredential(credentialsFile, { baseUrl: sandbox.url, webhookSecret: WEBHOOK_SECRET, extra: [noSecretCredential, signedCredential] });
	await H.n8nCli(n8n, cliEnv, ['import:credentials', `--input=${credentialsFile}`], { logFile: path.join(LOGS, 'cli.log') });
	const workflowsDir = path.join(WORK, 'workflows');
	fs.rmSync(workflowsDir, { recursive: true, force: true });
	fs.mkdirSync(workflowsDir);
	const sources = [...H.readWorkflows(H.EXAMPLES_DIR), ...(fs.existsSync(E2E_WORKFLOWS) ? H.readWorkflows(E2E_WORKFLOWS) : [])];
	for (const source of sources) {
		// the examples name n8n's default address (the webhook example's trigger URL): follow HF_N8N_PORT
		const text = fs.readFileSync(source.file, 'utf8').replaceAll('http://127.0.0.1:5678/', `http://127.0.0.1:${H.N8N_PORT}/`);
		fs.writeFileSync(path.join(workflowsDir, source.name), text);
	}
	await H.n8nCli(n8n, cliEnv, ['import:workflow', '--separate', `--input=${workflowsDir}`], { logFile: path.join(LOGS, 'cli.log') });
	H.say('e2e', `imported the sandbox credential and ${sources.length} workflows: ${sources.map((s) => s.name).join(', ')}`);
	for (const source of sources.filter((s) => H.needsPublishing(s.workflow))) {
		await H.activateWorkflow(n8n, cliEnv, source.workflow.id, { logFile: path.join(LOGS, 'cli.log') });
		H.say('e2e', `${n8n.major >= 2 ? 'published' : 'activated'} ${source.workflow.id} (${source.workflow.name})`);
	}

	server = await H.startN8nServer(n8n, serverEnv, { logFile: path.join(LOGS, 'n8n-server.log') });
	H.say('e2e', `n8n start: ready on ${server.url}`);
	rest = new H.N8nRest(server.url, n8n);
	await rest.setupOwner({ email: 'e2e@example.com', password: 'E2e-Sandbox-Pass1' });
	await rest.login('e2e@example.com', 'E2e-Sandbox-Pass1');

	await scenario('package loads in real n8n', async () => {
		const types = (await rest.request('GET', '/types/nodes.json')).json;
		const names = new Set(types.map((type) => type.name));
		for (const node of pkg.nodes) {
			const name = `${H.PACKAGE_NAME}.${node.charAt(0).toLowerCase()}${node.slice(1)}`;
			check(names.has(name), `node type ${name} is registered`);
		}
		const credentials = (await rest.request('GET', '/types/credentials.json')).json;
		check(credentials.some((type) => type.name === 'higgsfieldApi'), 'credential type higgsfieldApi is registered');
		const listed = (await rest.workflows()).map((workflow) => workflow.id);
		check(sources.every((source) => listed.includes(source.workflow.id)), `all ${sources.length} imported workflows are listed`, listed);
	});
	// started first: n8n's WaitTracker ends the wait within about 60 s, checked at the end
	await scenario('wait for webhook, the wait runs out (part 1: start)', waitTimeoutStart);
	await scenario('example: text to image to video', textToImageToVideo);
	await scenario('example: image and voice to talking avatar', talkingAvatar);
	await scenario('example: train a character, then generate with it', characterThenGenerate);
	await scenario('example: many prompts to images, concurrently', manyPrompts);
	await scenario("get job set: Don't Wait, then Get Job Set waits and downloads", dontWaitThenGetJobSet);
	await scenario("Higgsfield node: Model list, typed Arguments and media arguments through n8n's REST API", modelListAndFields);
	await scenario('example: nano-banana image, then Kling image to video (Higgsfield node)', nanoBananaThenKling);
	await scenario('example: text to Veo video with sound (Higgsfield node)', veoWithSound);
	await scenario('example: rows to images with the row id as Idempotency Key; re-run charges nothing twice', rowsWithIdempotencyKeys);
	let delivered;
	await scenario('example: submit with a webhook, continue in the trigger workflow', async () => {
		delivered = await webhookToTrigger();
	});
	await scenario('trigger: wrong or missing secret refused (401), nothing started', async () => {
		check(delivered !== undefined, 'a delivered job set from the webhook scenario');
		await wrongSecretRefused(delivered);
	});
	await scenario('trigger: duplicate delivery answered, nothing started', async () => {
		check(delivered !== undefined, 'a delivered job set from the webhook scenario');
		await duplicateIgnored(delivered);
	});

	await scenario('trigger: malformed body 422, not a job set 400, credential without a secret 401; nothing started', async () => {
		check(delivered !== undefined, 'a delivered job set from the webhook scenario');
		await triggerExtras(delivered);
	});
	await scenario('trigger with a signing secret: signed v1 and request-API deliveries start one execution each; other secret, old timestamp, unsigned refused; replay ignored', signedTriggerBothApis);
	await scenario('wait for webhook: the execution waits, refuses bad calls, resumes on the sandbox callback', waitForWebhookResumes);
	await scenario('wait for webhook on the request API (Higgsfield node): hf_webhook = resume URL, resumes on the signed callback', waitForWebhookRequestApi);
	await scenario('wait for webhook, 3 items: resumes when the last job set is done', waitForWebhookManyItems);
	await mcpScenarios({ scenario, check, sandbox, serverUrl: server.url, serverLogFile: path.join(LOGS, 'n8n-server.log'), logMark, sandboxLog });
	await aiAgentScenario({ scenario, check, execute, logMark, sandboxLog });
	await scenario('wait for webhook, the wait runs out (part 2: n8n ends it)', waitTimeoutEnd);

	await server.stop();
	await sandbox.stop();
	return report.summary(`n8n ${n8n.version}, Node ${n8n.nodeVersion}, ${((Date.now() - started) / 1000).toFixed(0)} s; logs in ${path.relative(H.ROOT, LOGS)}, run outputs in ${path.relative(H.ROOT, RUNS)}`);
}

main()
	.then(async (code) => {
		await H.stopAll();
		process.exit(code);
	})
	.catch(async (error) => {
		console.error(`\nFAIL e2e setup: ${error.stack ?? error}`);
		await H.stopAll();
		process.exit(1);
	});
