// Completion "Send Webhook": the node sends `webhook: {url, secret}` beside `params`, returns the job
// set at once, and the sandbox later delivers it to the URL with the X-Webhook-Secret-Key header.
import type { IDataObject } from 'n8n-workflow';

import { runNode, type SandboxCredentials } from './helpers/n8n';
import { TRIGGER_PATH, TriggerHost } from './helpers/webhookHarness';
import { fakeSecret, startReceiver, waitFor } from './helpers/webhook-receiver';
import type { Sandbox } from './nodes/mediaGeneration';
import { startSandbox } from './sandbox';

const CREDENTIAL_SECRET = fakeSecret('credential');
const FIELD_SECRET = fakeSecret('field');
const SOUL = '/v1/text2image/soul';
const PARAMS = { prompt: 'a paper boat on a puddle', width_and_height: '1536x1536', quality: '720p' };

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let sb: Sandbox;
let receiver: Receiver;

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
	receiver.calls.length = 0;
	receiver.setHandler(undefined);
});

/** runNode's credentials, with the Webhook Secret field of the credential. */
function credentials(webhookSecret = CREDENTIAL_SECRET): SandboxCredentials {
	return { baseUrl: sb.url, webhookSecret };
}

function sendWebhook(extra: IDataObject = {}): IDataObject {
	return { operation: 'generate', prompt: PARAMS.prompt, completion: 'webhook', webhookUrl: `${receiver.url}/hook`, ...extra };
}

const submissions = () => sb.log.filter((entry) => entry.method === 'POST' && entry.path === SOUL);

describe('Send Webhook', () => {
	test("with the field empty: the credential's Webhook Secret goes beside params; the job set comes back at once and is delivered later", async () => {
		const { output, error } = await runNode({ type: 'higgsfieldSoulImage', credentials: credentials(), parameters: sendWebhook() });
		expect(error).toBeUndefined();

		const posts = submissions();
		expect(posts).toHaveLength(1);
		expect(posts[0].body).toEqual({ params: PARAMS, webhook: { url: `${receiver.url}/hook`, secret: CREDENTIAL_SECRET } });
		// it did not wait: no status check, no download
		expect(sb.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([`POST ${SOUL}`]);

		expect(output).toHaveLength(1);
		const id = posts[0].jobSetId as string;
		expect(output[0].json).toMatchObject({ id, status: expect.stringMatching(/^(queued|in_progress)$/), result_urls: [] });
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].binary).toBeUndefined();
		expect(JSON.stringify(output)).not.toContain(CREDENTIAL_SECRET);

		const [delivery] = await waitFor(() => (receiver.calls.length > 0 ? receiver.calls : undefined));
		expect(delivery.method).toBe('POST');
		expect(delivery.path).toBe('/hook');
		expect(delivery.headers['x-webhook-secret-key']).toBe(CREDENTIAL_SECRET);
		expect(delivery.headers['content-type']).toBe('application/json');
		expect(delivery.body).toMatchObject({ id, jobs: [{ status: 'completed' }] });
		expect(receiver.calls).toHaveLength(1);
	});

	test("a secret in the field is sent instead of the credential's", async () => {
		const { error } = await runNode({ type: 'higgsfieldSoulImage', credentials: credentials(), parameters: sendWebhook({ webhookSecret: FIELD_SECRET }) });
		expect(error).toBeUndefined();
		expect(submissions()[0].body.webhook).toEqual({ url: `${receiver.url}/hook`, secret: FIELD_SECRET });
		const [delivery] = await waitFor(() => (receiver.calls.length > 0 ? receiver.calls : undefined));
		expect(delivery.headers['x-webhook-secret-key']).toBe(FIELD_SECRET);
	});

	test('every item sends the same webhook; the job sets come back in input order', async () => {
		const items = ['one', 'two', 'three'].map((prompt) => ({ json: { prompt } }));
		const { output, error } = await runNode({
			type: 'higgsfieldSoulImage',
			credentials: credentials(),
			items,
			parameters: sendWebhook({ prompt: '={{ $json.prompt }}' }),
		});
		expect(error).toBeUndefined();
		const posts = submissions();
		expect(posts.map((entry) => entry.body.params.prompt).sort()).toEqual(['one', 'three', 'two']);
		for (const post of posts) expect(post.body.webhook).toEqual({ url: `${receiver.url}/hook`, secret: CREDENTIAL_SECRET });
		const idOf = (prompt: string) => posts.find((entry) => entry.body.params.prompt === prompt)?.jobSetId;
		expect(output.map((item) => item.json.id)).toEqual(['one', 'two', 'three'].map(idOf));
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		await waitFor(() => receiver.calls.length === 3);
	});

	test('no secret in the field or the credential: refused before any request', async () => {
		const { output, error } = await runNode({ type: 'higgsfieldSoulImage', credentials: credentials(''), parameters: sendWebhook() });
		expect(output).toEqual([]);
		expect(error?.message).toBe('Invalid "Webhook Secret" in item 0: got an empty text');
		expect(error?.description).toMatch(/Set a Webhook Secret in the Higgsfield credential/);
		expect(sb.log).toEqual([]);
	});

	test.each(['not a url', 'ftp://example.com/hook', 'http://example.com/hook'])(
		'a webhook URL Higgsfield cannot call (%j): refused before any request',
		async (webhookUrl) => {
			const { error } = await runNode({ type: 'higgsfieldSoulImage', credentials: credentials(), parameters: sendWebhook({ webhookUrl }) });
			expect(error?.message).toMatch(/^Invalid "Webhook URL" in item 0/);
			expect(sb.log).toEqual([]);
		},
	);

	test('with Continue On Fail, a bad item is reported and the others are still submitted', async () => {
		const { output, error } = await runNode({
			type: 'higgsfieldSoulImage',
			credentials: credentials(),
			continueOnFail: true,
			items: [{ json: { url: `${receiver.url}/hook` } }, { json: { url: 'nope' } }],
			parameters: sendWebhook({ webhookUrl: '={{ $json.url }}' }),
		});
		expect(error).toBeUndefined();
		expect(submissions()).toHaveLength(1);
		expect(output[0].json.id).toBe(submissions()[0].jobSetId);
		expect(output[1].json.error).toMatch(/^Invalid "Webhook URL" in item 1/);
	});

	test('a submission Higgsfield refuses: the error names neither the webhook secret nor the API secret', async () => {
		sb.script([{ method: 'POST', path: SOUL, fault: '500', times: 1 }]);
		const { error } = await runNode({ type: 'higgsfieldSoulImage', credentials: credentials(), parameters: sendWebhook() });
		expect(error?.message).toMatch(/500/);
		const text = JSON.stringify({ message: error?.message, description: error?.description, context: error?.context });
		expect(text).not.toContain(CREDENTIAL_SECRET);
		expect(text).not.toContain('hf-sandbox-secret');
	});
});

describe('Send Webhook into a Higgsfield Trigger workflow', () => {
	test('the job set started by one workflow starts the trigger workflow, with the image downloaded', async () => {
		const host = new TriggerHost({ baseUrl: sb.url, webhookSecret: CREDENTIAL_SECRET }, { download: 'raw' });
		receiver.setHandler(host.handle);
		const { output, error } = await runNode({
			type: 'higgsfieldSoulImage',
			credentials: credentials(),
			parameters: sendWebhook({ webhookUrl: `${receiver.url}${TRIGGER_PATH}` }),
		});
		expect(error).toBeUndefined();
		const id = output[0].json.id as string;
		await waitFor(() => host.runs.length === 1);
		expect(receiver.calls.filter((entry) => entry.path === TRIGGER_PATH).map((entry) => entry.status)).toEqual([200]);
		const [[item]] = host.triggered;
		expect(item.json).toMatchObject({ id, status: 'completed' });
		expect(item.binary?.data.mimeType).toBe('image/png');
		expect(JSON.stringify(host.runs)).not.toContain(CREDENTIAL_SECRET);
	});

	test("a trigger whose credential has another secret refuses the delivery (401) and starts nothing", async () => {
		const host = new TriggerHost({ baseUrl: sb.url, webhookSecret: fakeSecret('other') }, {});
		receiver.setHandler(host.handle);
		const { output } = await runNode({
			type: 'higgsfieldSoulImage',
			credentials: credentials(),
			parameters: sendWebhook({ webhookUrl: `${receiver.url}${TRIGGER_PATH}` }),
		});
		const id = output[0].json.id as string;
		const delivery = await waitFor(() => sb.webhookDeliveries.find((entry) => entry.jobSetId === id && entry.status !== 'pending'));
		expect(delivery.status).toBe(401);
		expect(host.runs).toHaveLength(0);
	});
});
