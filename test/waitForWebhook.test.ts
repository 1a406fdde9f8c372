// Completion "Wait for Webhook": the execution waits (n8n-core's putExecutionToWait), the sandbox calls
// the resume URL, and the waiting execution is resumed the way n8n's WaitingWebhooks does it
// (test/helpers/webhookHarness.ts); the end of the wait the way n8n's WaitTracker does it.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { HiggsfieldImageToVideo } from '../nodes/HiggsfieldImageToVideo/HiggsfieldImageToVideo.node';
import { HiggsfieldSoulImage } from '../nodes/HiggsfieldSoulImage/HiggsfieldSoulImage.node';
import { HiggsfieldSpeak } from '../nodes/HiggsfieldSpeak/HiggsfieldSpeak.node';
import { RESUME_WEBHOOK, resumeFromWebhook } from '../nodes/shared/generation/waitForWebhook';
import { MAX_WAIT_ITEMS } from '../nodes/shared/webhook/waitState';
import { EXECUTION_ID, NODE_NAME, WaitHost } from './helpers/webhookHarness';
import { post, startReceiver, waitFor } from './helpers/webhook-receiver';
import type { Sandbox } from './nodes/mediaGeneration';
import { startSandbox } from './sandbox';
import { call } from './sandbox/test-helpers';

const SOUL = '/v1/text2image/soul';
const NODE_ID = '5b2f0c6e-1d2a-4c3b-9e8f-000000000001';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let sb: Sandbox;
let receiver: Receiver;
let host: WaitHost;

beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 1000 });
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
	await sb.close();
});
beforeEach(() => {
	sb.clearLog();
	sb.configure({ webhookDuplicates: 0 });
	receiver.calls.length = 0;
});

function waitHost(options: { type?: string; parameters?: IDataObject; items?: INodeExecutionData[]; continueOnFail?: boolean } = {}): WaitHost {
	host = new WaitHost({
		type: options.type ?? 'higgsfieldSoulImage',
		credentials: { baseUrl: sb.url },
		receiverUrl: receiver.url,
		items: options.items,
		continueOnFail: options.continueOnFail,
		parameters: { operation: 'generate', prompt: 'a kite over the dunes', completion: 'waitForWebhook', options: { timeoutMinutes: 5 }, ...options.parameters },
	});
	receiver.setHandler(host.resume);
	return host;
}

const GENERATION_PATHS = [SOUL, '/v1/image2video/dop', '/v1/speak/higgsfield'];
const submissions = () => sb.log.filter((entry) => entry.method === 'POST' && GENERATION_PATHS.includes(entry.path));
const statusChecks = () => sb.log.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/v1/job-sets/'));
const callbacks = () => receiver.calls.filter((entry) => entry.path.startsWith('/webhook-waiting/'));

function expectPng(item: INodeExecutionData, property = 'data'): void {
	const binary = item.binary?.[property];
	expect(binary?.mimeType).toBe('image/png');
	expect(Buffer.from(binary?.data ?? '', 'base64').subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
}

/** The webhook the node sent with its (only or first) submission. */
function sentWebhook(index = 0): { url: string; secret: string } {
	return submissions()[index].body.webhook as { url: string; secret: string };
}

function expectNoSecrets(): void {
	const text = JSON.stringify([host.saved, receiver.calls.map((entry) => entry.answer)]);
	for (const secret of submissions().map((entry) => (entry.body.webhook as { secret: string }).secret)) expect(text).not.toContain(secret);
	expect(text).not.toContain('hf-sandbox-secret');
}

describe('the generation nodes', () => {
	test.each([new HiggsfieldSoulImage(), new HiggsfieldImageToVideo(), new HiggsfieldSpeak()])('$description.displayName has the resume webhook of a waiting execution', (node) => {
		expect(node.description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', path: '', restartWebhook: true, responseMode: 'onReceived', responseData: 'noData' },
		]);
		expect(node.description.webhooks?.[0]).toBe(RESUME_WEBHOOK);
		expect(node.webhook).toBe(resumeFromWebhook);
		expect(node.description.group).toEqual(['transform']);
	});

	test.each([
		['higgsfieldImageToVideo', { prompt: 'the fox turns its head', startImageUrl: 'https://example.com/start.png' }, 'video/mp4'],
		['higgsfieldSpeak', { prompt: 'hello there', imageUrl: 'https://example.com/portrait.png', audioUrl: 'https://example.com/voice.wav' }, 'video/mp4'],
	])('%s waits and resumes with the downloaded video', async (type, parameters, mimeType) => {
		waitHost({ type, parameters });
		expect((await host.start()).status).toBe('waiting');
		expect(sentWebhook().url).toMatch(new RegExp(`/webhook-waiting/${EXECUTION_ID}\\?signature=`));
		await waitFor(() => host.resumes.length === 1);
		const [item] = host.output();
		expect(item.json).toMatchObject({ id: submissions()[0].jobSetId, status: 'completed' });
		expect(item.binary?.data.mimeType).toBe(mimeType);
	});
});

describe('one item', () => {
	test('sends the resume URL with a secret of its own, waits, and continues with the downloaded result on the callback', async () => {
		waitHost();
		const started = Date.now();
		const run = await host.start();

		// put to wait, as n8n's Wait node does: status waiting until the Timeout option
		expect(run.status).toBe('waiting');
		expect(run.waitTill).toBeInstanceOf(Date);
		expect((run.waitTill as Date).getTime()).toBeGreaterThanOrEqual(started + 5 * 60_000);
		expect((run.waitTill as Date).getTime()).toBeLessThan(Date.now() + 5 * 60_000 + 1000);
		expect(run.data.resultData.runData.Next).toBeUndefined();

		const [submission] = submissions();
		expect(submissions()).toHaveLength(1);
		const webhook = sentWebhook();
		expect(submission.body).toEqual({
			params: { prompt: 'a kite over the dunes', width_and_height: '1536x1536', quality: '720p' },
			webhook: { url: `${receiver.url}/webhook-waiting/${EXECUTION_ID}?signature=${run.data.resumeToken}`, secret: webhook.secret },
		});
		expect(webhook.secret).toMatch(/^[0-9a-f]{64}$/);
		// the ids the resume needs are in the execution's custom data
		const id = submission.jobSetId as string;
		expect(host.customData()).toEqual({ higgsfield_wait: `1|${NODE_ID}|1`, higgsfield_job_sets: id });
		// shown while waiting: the submitted job set
		expect(host.output()).toEqual([{ json: expect.objectContaining({ id, status: expect.stringMatching(/queued|in_progress/) }), pairedItem: { item: 0 } }]);

		await waitFor(() => host.resumes.length === 1);
		expect(callbacks()).toHaveLength(1);
		expect(callbacks()[0].headers['x-webhook-secret-key']).toBe(webhook.secret);
		expect(callbacks()[0].status).toBe(200);
		expect(callbacks()[0].answer).toBe('');

		const resumed = host.saved;
		expect(resumed?.status).toBe('success');
		expect(resumed?.finished).toBe(true);
		const [item] = host.output();
		expect(host.output()).toHaveLength(1);
		expect(item.json).toMatchObject({ id, status: 'completed', result_urls: [expect.stringMatching(/raw\.png$/)] });
		expect(item.pairedItem).toEqual({ item: 0 });
		expectPng(item);
		// one Higgsfield run in the saved execution, and the next node got the result
		expect(resumed?.data.resultData.runData[NODE_NAME]).toHaveLength(1);
		expect(host.output('Next')[0].json.id).toBe(id);
		// no status check was needed: the callback brought the job set
		expect(statusChecks()).toEqual([]);
		expectNoSecrets();
	});

	test('a repeated callback after the resume is refused by n8n (409) and changes nothing', async () => {
		sb.configure({ webhookDuplicates: 1 });
		waitHost();
		await host.start();
		const id = submissions()[0].jobSetId as string;
		const attempts = await waitFor(() => {
			const done = sb.webhookDeliveries.filter((entry) => entry.jobSetId === id && entry.status !== 'pending');
			return done.length === 2 ? done : undefined;
		});
		// the repeat arrives while the first still downloads (answered 200 "already resuming"),
		// or after the resume (n8n's 409): either way it changes nothing
		expect(attempts[0].status).toBe(200);
		expect([200, 409]).toContain(attempts[1].status);
		if (attempts[1].status === 200) expect(callbacks()[1].answer).toBe(JSON.stringify({ message: 'Ignored: this execution is already resuming' }));
		await waitFor(() => host.resumes.length === 1);
		expect(host.resumes).toHaveLength(1);
	});
});

describe('callbacks that do not resume', () => {
	test('missing, wrong, shorter and longer secrets, a body that is no job set, and a foreign job set leave the execution waiting', async () => {
		waitHost({ parameters: { prompt: 'slow kite [sandbox:seconds=0.8]' } });
		await host.start();
		const { url, secret } = sentWebhook();
		const submitted = submissions()[0];
		const body = JSON.stringify({ id: submitted.jobSetId, jobs: [{ id: 'j', status: 'completed', results: null }] });
		const headers = (extra: Record<string, string>) => ({ 'content-type': 'application/json', ...extra });

		const refused: Array<Record<string, string>> = [
			{},
			{ 'X-Webhook-Secret-Key': 'wrong' },
			{ 'X-Webhook-Secret-Key': secret.slice(0, -1) },
			{ 'X-Webhook-Secret-Key': `${secret}0` },
			{ 'X-Webhook-Secret': secret },
		];
		for (const extra of refused) {
			const answer = await post(url, { body, headers: headers(extra) });
			expect(answer.status).toBe(401);
			expect(answer.text).not.toContain(secret);
		}
		const right = headers({ 'X-Webhook-Secret-Key': secret });
		expect((await post(url, { body: 'done', headers: { ...right, 'content-type': 'text/plain' } })).status).toBe(400);
		const foreign = await post(url, { body: JSON.stringify({ id: '00000000-0000-4000-8000-000000000000', jobs: [{ id: 'j', status: 'completed' }] }), headers: right });
		expect(foreign.status).toBe(400);
		expect(JSON.parse(foreign.text).message).toBe('Job set 00000000-0000-4000-8000-000000000000 is not one this execution waits for');
		// the job set as it is now: not finished
		const current = await call(sb.url, 'GET', `/v1/job-sets/${submitted.jobSetId}`);
		const unfinished = await post(url, { body: JSON.stringify(current.json), headers: right });
		expect(unfinished.status).toBe(200);
		expect(JSON.parse(unfinished.text).message).toMatch(/is not finished yet \((queued|in_progress)\); still waiting$/);
		// n8n itself refuses a call without the signature token of the resume URL
		expect((await post(url.replace(/\?signature=.*$/, ''), { body, headers: right })).status).toBe(401);

		expect(host.resumes).toHaveLength(0);
		expect(host.saved?.status).toBe('waiting');
		expect(host.webhookErrors).toEqual([]);

		// Higgsfield's own callback still resumes it
		await waitFor(() => host.resumes.length === 1);
		expect(host.saved?.status).toBe('success');
		expect(host.output()[0].json).toMatchObject({ id: submitted.jobSetId, status: 'completed' });
		expectNoSecrets();
	});
});

describe('several items', () => {
	test('each callback checks the other job sets once; the one that finds all finished resumes, in input order', async () => {
		const items = [{ json: { prompt: 'slowest [sandbox:seconds=1.2]' } }, { json: { prompt: 'fastest [sandbox:seconds=0.2]' } }, { json: { prompt: 'middle [sandbox:seconds=0.7]' } }];
		waitHost({ items, parameters: { prompt: '={{ $json.prompt }}' } });
		const run = await host.start();
		expect(run.status).toBe('waiting');
		const ids = items.map((item) => submissions().find((entry) => entry.body.params.prompt === item.json.prompt)?.jobSetId as string);
		for (const index of [0, 1, 2]) expect(sentWebhook(index).url).toBe(sentWebhook(0).url);
		expect(new Set(submissions().map((entry) => entry.body.webhook.secret)).size).toBe(1);
		expect(host.customData().higgsfield_job_sets).toBe(ids.join(','));

		await waitFor(() => host.resumes.length === 1);
		expect(callbacks().map((entry) => [entry.body && (entry.body as { id: string }).id, entry.status, entry.answer])).toEqual([
			[ids[1], 200, JSON.stringify({ message: `Job set ${ids[1]} is finished; still waiting for 2 more` })],
			[ids[2], 200, JSON.stringify({ message: `Job set ${ids[2]} is finished; still waiting for 1 more` })],
			[ids[0], 200, ''],
		]);
		// one status check of the two others per callback, nothing else (the two of a callback run at once)
		expect(statusChecks().map((entry) => entry.path).sort()).toEqual(
			[ids[0], ids[2], ids[0], ids[1], ids[1], ids[2]].map((id) => `/v1/job-sets/${id}`).sort(),
		);
		const output = host.output();
		expect(output.map((item) => [item.json.id, item.json.status, item.pairedItem])).toEqual(ids.map((id, index) => [id, 'completed', { item: index }]));
		for (const item of output) expectPng(item);
		expect(host.output('Next').map((item) => item.json.id)).toEqual(ids);
	});

	test('a job set that failed comes out as an error item naming it; the others as results', async () => {
		const items = [{ json: { prompt: 'fine [sandbox:seconds=0.4]' } }, { json: { prompt: 'doomed [sandbox:failed]' } }];
		waitHost({ items, parameters: { prompt: '={{ $json.prompt }}' } });
		await host.start();
		await waitFor(() => host.resumes.length === 1);
		const [good, bad] = host.output();
		expect(good.json.status).toBe('completed');
		expectPng(good);
		const failedId = submissions().find((entry) => entry.body.params.prompt.includes('doomed'))?.jobSetId;
		expect(bad.json).toMatchObject({ id: failedId, status: 'failed', error: `Job set ${failedId} ended as failed (1 of 1 jobs) [item 1]` });
		expect(bad.pairedItem).toEqual({ item: 1 });
		expect(bad.binary).toBeUndefined();
	});

	test('Continue On Fail: an item refused before the wait keeps its place and its error after the resume', async () => {
		const items = [{ json: { prompt: 'good one' } }, { json: { prompt: '   ' } }];
		waitHost({ items, continueOnFail: true, parameters: { prompt: '={{ $json.prompt }}' } });
		const run = await host.start();
		expect(run.status).toBe('waiting');
		expect(submissions()).toHaveLength(1);
		const id = submissions()[0].jobSetId as string;
		expect(host.customData().higgsfield_job_sets).toBe(`${id},`);
		expect(JSON.parse(host.customData().higgsfield_wait_errors)).toEqual({ '1': expect.stringMatching(/^Invalid "Prompt" in item 1/) });

		await waitFor(() => host.resumes.length === 1);
		const [good, bad] = host.output();
		expect(good.json).toMatchObject({ id, status: 'completed' });
		expect(bad).toEqual({ json: { error: expect.stringMatching(/^Item 1 failed before the wait: Invalid "Prompt" in item 1/) }, pairedItem: { item: 1 } });
	});

	test('when every item is refused before the wait, nothing waits', async () => {
		waitHost({ items: [{ json: { prompt: '' } }], continueOnFail: true, parameters: { prompt: '={{ $json.prompt }}' } });
		const run = await host.start();
		expect(run.status).toBe('success');
		expect(run.waitTill).toBeUndefined();
		expect(host.output()[0].json.error).toMatch(/^Invalid "Prompt" in item 0/);
		expect(sb.log).toEqual([]);
	});

	test(`more than ${MAX_WAIT_ITEMS} items: refused before any request`, async () => {
		const items = Array.from({ length: MAX_WAIT_ITEMS + 1 }, (_, index) => ({ json: { prompt: `p${index}` } }));
		waitHost({ items, parameters: { prompt: '={{ $json.prompt }}' } });
		const run = await host.start();
		expect(run.status).toBe('error');
		expect(run.data.resultData.error?.message).toBe(`Wait for Webhook follows at most ${MAX_WAIT_ITEMS} items per node and execution (got ${MAX_WAIT_ITEMS + 1}) [item 0]`);
		expect(sb.log).toEqual([]);
	});
});

describe('when the wait runs out', () => {
	test('n8n resumes without running the node again: its input items pass through marked wait_timed_out, with the id (fault 12)', async () => {
		const items = [{ json: { prompt: 'never back [sandbox:seconds=60]', note: 'input item' } }];
		waitHost({ items, parameters: { prompt: '={{ $json.prompt }}', options: { timeoutMinutes: 0.01 } } });
		const run = await host.start();
		expect(run.status).toBe('waiting');
		expect((run.waitTill as Date).getTime()).toBeLessThan(Date.now() + 1000);
		const id = submissions()[0].jobSetId as string;
		const { url, secret } = sentWebhook();
		sb.clearLog();

		const resumed = await host.timeOut();
		expect(resumed.status).toBe('success');
		const marked = {
			...items[0].json,
			wait_timed_out: true,
			job_set_id: id,
			wait_message: `No callback from Higgsfield within the Timeout (0.01 minutes): job set ${id} may still be running. Fetch it with the Get Job Set node and ID ${id}.`,
		};
		expect(host.output()).toEqual([{ json: marked, pairedItem: { item: 0 } }]);
		expect(host.output('Next').map((item) => item.json)).toEqual([marked]);
		// the input node's own output is not changed
		expect(host.output('Start').map((item) => item.json)).toEqual([items[0].json]);
		expect(host.customData().higgsfield_job_sets).toBe(id);
		// the node did not run: no request at all
		expect(sb.log).toEqual([]);
		// and a late callback finds the execution finished
		const late = await post(url, { body: JSON.stringify({ id, jobs: [{ id: 'j', status: 'completed' }] }), headers: { 'content-type': 'application/json', 'X-Webhook-Secret-Key': secret } });
		expect(late.status).toBe(409);
	});
});
