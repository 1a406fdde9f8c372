// Wait for Webhook, the parts of issue 10 and of faults 6 and 12 (issue 13): the Higgsfield node
// (request API) sending its resume URL as hf_webhook and resuming on the sandbox's signed delivery;
// signature refusals and replays at the resume; a callback whose others could not be checked
// (outage) does not resume; an echoed webhook.secret never reaches the output.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { WAIT_TIMED_OUT_FIELD } from '../nodes/shared/generation/waitForWebhook';
import { EXECUTION_ID, WaitHost } from './helpers/webhookHarness';
import { referenceSecret, signedHeaders } from './helpers/standardWebhooksReference';
import { post, startReceiver, waitFor } from './helpers/webhook-receiver';
import type { Sandbox } from './nodes/mediaGeneration';
import { startSandbox } from './sandbox';

const SIGNING_SECRET = referenceSecret();
const OTHER_SECRET = referenceSecret();
const MODEL = 'nano-banana';
const SOUL = '/v1/text2image/soul';

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
	sb.configure({ webhookDuplicates: 0, webhookSigningSecret: SIGNING_SECRET, webhookRetries: 2, webhookRetryDelayMs: 300 });
	receiver.calls.length = 0;
});

const callbacks = () => receiver.calls.filter((entry) => entry.path.startsWith('/webhook-waiting/'));
const requestSubmissions = () => sb.log.filter((entry) => entry.method === 'POST' && entry.path === `/${MODEL}`);

function requestHost(options: { items?: INodeExecutionData[]; credentials?: IDataObject; parameters?: IDataObject } = {}): WaitHost {
	host = new WaitHost({
		type: 'higgsfield',
		credentials: { baseUrl: sb.url, webhookSigningSecret: SIGNING_SECRET, ...options.credentials },
		receiverUrl: receiver.url,
		items: options.items,
		parameters: {
			resource: 'request',
			operation: 'generate',
			model: { __rl: true, mode: 'list', value: MODEL },
			modelArguments: { mappingMode: 'defineBelow', value: { prompt: '={{ $json.prompt ?? "a kite" }}' } },
			completion: 'waitForWebhook',
			options: { timeoutMinutes: 5 },
			...options.parameters,
		},
	});
	receiver.setHandler(host.resume);
	return host;
}

describe('the Higgsfield node (request API)', () => {
	test('sends the resume URL as hf_webhook and resumes on the signed delivery with the request output', async () => {
		requestHost();
		const run = await host.start();
		expect(run.status).toBe('waiting');
		const [submission] = requestSubmissions();
		expect(submission.query.hf_webhook).toBe(`${receiver.url}/webhook-waiting/${EXECUTION_ID}?signature=${run.data.resumeToken}`);
		const requestId = submission.requestId as string;
		expect(host.customData()).toMatchObject({ higgsfield_wait: expect.stringMatching(/\|1\|request$/), higgsfield_job_sets: requestId });

		await waitFor(() => host.resumes.length === 1);
		expect(callbacks()[0].headers['webhook-signature']).toMatch(/^v1,/);
		expect(callbacks()[0].status).toBe(200);
		const [item] = host.output();
		expect(item.json).toMatchObject({ request_id: requestId, status: 'completed', outputs: [expect.stringContaining(`/files/requests/${requestId}/`)] });
		expect(item.json[WAIT_TIMED_OUT_FIELD]).toBeUndefined();
		expect(item.binary?.data.mimeType).toBe('image/png');
		expect(host.output('Next')[0].json.request_id).toBe(requestId);
		expect(JSON.stringify(host.saved)).not.toContain(SIGNING_SECRET);
	});

	test('without the credential signing secret: refused before any request', async () => {
		requestHost({ credentials: { webhookSigningSecret: '' } });
		const run = await host.start();
		expect(run.status).toBe('error');
		expect(run.data.resultData.error?.message).toBe('Wait for Webhook needs the Webhook Signing Secret of the Higgsfield credential [item 0]');
		expect(requestSubmissions()).toEqual([]);
	});

	test('refused callbacks (other secret, tampered, old, missing headers, legacy header) leave it waiting; a replay is 200; the real one resumes', async () => {
		requestHost({ parameters: { modelArguments: { mappingMode: 'defineBelow', value: { prompt: 'slow [sandbox:seconds=1]' } } } });
		await host.start();
		const [submission] = requestSubmissions();
		const url = submission.query.hf_webhook as string;
		const requestId = submission.requestId as string;
		const body = JSON.stringify({ request_id: requestId, status: 'completed', images: [{ url: `${sb.url}/files/requests/${requestId}/0.png` }] });
		const send = async (text: string, headers: Record<string, string>) => await post(url, { body: text, headers: { 'content-type': 'application/json', ...headers } });
		const now = Math.floor(Date.now() / 1000);

		for (const headers of [
			await signedHeaders([OTHER_SECRET], body),
			await signedHeaders([SIGNING_SECRET], body, { timestamp: now - 360 }),
			await signedHeaders([SIGNING_SECRET], body, { timestamp: now + 360 }),
			{ 'webhook-id': 'msg_x', 'webhook-timestamp': String(now) },
			{ 'X-Webhook-Secret-Key': SIGNING_SECRET },
			{},
		]) {
			const answer = await send(body, headers);
			expect(answer.status).toBe(401);
		}
		expect((await send(body.replace('completed', 'complete_'), await signedHeaders([SIGNING_SECRET], body))).status).toBe(401);
		expect(host.resumes).toHaveLength(0);
		expect(host.saved?.status).toBe('waiting');

		// signed, but for a request this execution does not wait for: 400; its id is not consumed
		const foreign = JSON.stringify({ request_id: '00000000-0000-4000-8000-000000000000', status: 'completed' });
		expect((await send(foreign, await signedHeaders([SIGNING_SECRET], foreign))).status).toBe(400);

		// a valid signed delivery (not finished yet: still waiting), then the same webhook-id again
		const running = JSON.stringify({ request_id: requestId, status: 'in_progress' });
		const runningHeaders = await signedHeaders([SIGNING_SECRET], running, { id: 'msg_wait_replay' });
		const accepted = await send(running, runningHeaders);
		expect(accepted.status).toBe(200);
		expect(JSON.parse(accepted.text).message).toBe(`Request ${requestId} is not finished yet (in_progress); still waiting`);
		const replayed = await send(running, runningHeaders);
		expect(replayed).toEqual({ status: 200, text: JSON.stringify({ message: 'Ignored: delivery msg_wait_replay was received before' }) });
		expect(host.saved?.status).toBe('waiting');

		// Higgsfield's own delivery resumes it; the same webhook-id again is a replay
		await waitFor(() => host.resumes.length === 1);
		const delivered = callbacks().find((entry) => entry.headers['webhook-id'] !== undefined && entry.status === 200);
		const replayHeaders = await signedHeaders([SIGNING_SECRET], delivered?.rawBody ?? '', { id: String(delivered?.headers['webhook-id']) });
		const replay = await send(delivered?.rawBody ?? '', replayHeaders);
		// after the resume n8n itself answers 409; the node would answer 200 "received before"
		expect([200, 409]).toContain(replay.status);
		expect(host.resumes).toHaveLength(1);
	});

	test('the passed-through items of a timed-out wait carry wait_timed_out and the request id', async () => {
		requestHost({ items: [{ json: { prompt: 'never back [sandbox:seconds=60]' } }], parameters: { options: { timeoutMinutes: 0.01 } } });
		await host.start();
		const requestId = requestSubmissions()[0].requestId as string;
		await host.timeOut();
		expect(host.output('Next').map((item) => item.json)).toEqual([
			{
				prompt: 'never back [sandbox:seconds=60]',
				wait_timed_out: true,
				request_id: requestId,
				wait_message: `No callback from Higgsfield within the Timeout (0.01 minutes): request ${requestId} may still be running. Get it with the Higgsfield node's Get Status operation and ID ${requestId}.`,
			},
		]);
	});
});

describe('fault 12: "could not check" is not "finished"', () => {
	test('v1: a callback while the other job set cannot be checked answers 503 and does not resume; a later callback resumes with both results', async () => {
		sb.configure({ webhookSigningSecret: null });
		const items = [{ json: { prompt: 'fast [sandbox:seconds=0.2]' } }, { json: { prompt: 'slow [sandbox:seconds=1.5]' } }];
		host = new WaitHost({
			type: 'higgsfieldSoulImage',
			credentials: { baseUrl: sb.url },
			receiverUrl: receiver.url,
			items,
			parameters: { operation: 'generate', prompt: '={{ $json.prompt }}', completion: 'waitForWebhook', options: { timeoutMinutes: 5 } },
		});
		receiver.setHandler(host.resume);
		// an outage of the status endpoint while the first callback arrives
		sb.script([{ method: 'GET', path: '/v1/job-sets/', fault: '404', times: 1 }]);
		await host.start();
		await waitFor(() => callbacks().length >= 1 && callbacks()[0].status !== undefined);
		const first = callbacks()[0];
		expect(first.status).toBe(503);
		expect(JSON.parse(first.answer ?? '{}').message).toMatch(/^Job set [0-9a-f-]{36} is finished, but [0-9a-f-]{36} could not be checked \(.*\); still waiting$/);
		expect(host.resumes).toHaveLength(0);
		expect(host.saved?.status).toBe('waiting');

		// the slow one's own callback finds the first finished: both results
		await waitFor(() => host.resumes.length === 1);
		const output = host.output();
		expect(output.map((item) => item.json.status)).toEqual(['completed', 'completed']);
		expect(output.every((item) => item.binary?.data !== undefined)).toBe(true);
	});
});

describe('fault 6: an echoed webhook.secret', () => {
	test('is not in the resumed output', async () => {
		sb.configure({ webhookSigningSecret: null });
		host = new WaitHost({
			type: 'higgsfieldSoulImage',
			credentials: { baseUrl: sb.url },
			receiverUrl: receiver.url,
			parameters: { operation: 'generate', prompt: 'echo [sandbox:seconds=30]', completion: 'waitForWebhook', download: 'none', options: { timeoutMinutes: 5 } },
		});
		receiver.setHandler(host.resume);
		await host.start();
		const submission = sb.log.find((entry) => entry.method === 'POST' && entry.path === SOUL);
		const { url, secret } = submission?.body.webhook as { url: string; secret: string };
		const id = submission?.jobSetId as string;
		const body = JSON.stringify({
			id,
			webhook: { url, secret },
			input_params: { prompt: 'echo', webhook: { url, secret } },
			jobs: [{ id: 'j', status: 'completed', results: { raw: { url: `${sb.url}/files/x/raw.png` }, min: null } }],
		});
		const answer = await post(url, { body, headers: { 'content-type': 'application/json', 'X-Webhook-Secret-Key': secret } });
		expect(answer.status).toBe(200);
		const [item] = host.output();
		expect(item.json).toMatchObject({ id, status: 'completed', webhook: { url } });
		expect(JSON.stringify(host.saved)).not.toContain(secret);
	});
});
