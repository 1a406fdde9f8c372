// The same faults on the Wait for Webhook path: the wait lasts as long as the longest item's Timeout
// (fault 1), and a batch with a flagged job keeps its completed results when it resumes (fault 2).
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { referenceSecret } from '../helpers/standardWebhooksReference';
import { WaitHost } from '../helpers/webhookHarness';
import { startReceiver, waitFor } from '../helpers/webhook-receiver';
import type { Sandbox } from '../nodes/mediaGeneration';
import { startSandbox } from '../sandbox';

let sb: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 1000 });
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
	await sb.close();
});

function waitHost(parameters: IDataObject, items?: INodeExecutionData[]): WaitHost {
	const host = new WaitHost({
		type: 'higgsfieldSoulImage',
		credentials: { baseUrl: sb.url },
		receiverUrl: receiver.url,
		items,
		parameters: { operation: 'generate', completion: 'waitForWebhook', ...parameters },
	});
	receiver.setHandler(host.resume);
	return host;
}

test('the execution waits as long as the item with the longest Timeout', async () => {
	const host = waitHost(
		{ prompt: '={{ $json.prompt }}', options: { timeoutMinutes: '={{ $json.timeout }}' } },
		[{ json: { prompt: 'short wait [sandbox:seconds=30]', timeout: 5 } }, { json: { prompt: 'long wait [sandbox:seconds=30]', timeout: 30 } }],
	);
	const started = Date.now();
	const run = await host.start();
	expect(run.status).toBe('waiting');
	expect((run.waitTill as Date).getTime()).toBeGreaterThanOrEqual(started + 30 * 60_000);
	expect((run.waitTill as Date).getTime()).toBeLessThan(Date.now() + 30 * 60_000 + 1_000);
});

test('a batch with a flagged job resumes with its completed images, the flagged job marked', async () => {
	const host = waitHost({ prompt: 'mixed [sandbox:outcomes=completed,nsfw,completed,completed]', additionalFields: { batchSize: 4 }, options: { timeoutMinutes: 5 } });
	await host.start();
	await waitFor(() => host.resumes.length === 1);
	const [item, ...rest] = host.output();
	expect(rest).toEqual([]);
	expect(item.json.error).toBeUndefined();
	expect(item.json.status).toBe('nsfw');
	expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_2', 'data_3']);
});

test('the Higgsfield node (request API) also waits as long as the item with the longest Timeout', async () => {
	const host = new WaitHost({
		type: 'higgsfield',
		credentials: { baseUrl: sb.url, webhookSigningSecret: referenceSecret() },
		receiverUrl: receiver.url,
		items: [{ json: { prompt: 'short wait [sandbox:seconds=30]', timeout: 5 } }, { json: { prompt: 'long wait [sandbox:seconds=30]', timeout: 30 } }],
		parameters: {
			resource: 'request',
			operation: 'generate',
			model: { __rl: true, mode: 'list', value: 'nano-banana' },
			modelArguments: { mappingMode: 'defineBelow', value: { prompt: '={{ $json.prompt }}' } },
			completion: 'waitForWebhook',
			options: { timeoutMinutes: '={{ $json.timeout }}' },
		},
	});
	receiver.setHandler(host.resume);
	const started = Date.now();
	const run = await host.start();
	expect(run.status).toBe('waiting');
	expect((run.waitTill as Date).getTime()).toBeGreaterThanOrEqual(started + 30 * 60_000);
});
