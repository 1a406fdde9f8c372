// Issue 13, the faults that live in the transport and its errors, each as a user sees it in a real
// execution against the sandbox or a counting server:
//  5: secret scrubbing corrupted data (a Webhook Secret of `file` broke result URLs);
//  7: errors carried the raw node, with a literal Webhook Secret, into the execution data;
//  9: a 5xx to a v1 generation POST said "try again later" (the job may exist); every 403 was
//     called "out of credits".
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { binaryBytes, runNode, type RunResult } from './helpers/n8n';
import { makePng, startSandbox } from './sandbox';
import { secretLeaks, serialize } from './faults/secretSearch';
import { asNodeError } from '../nodes/shared/items';
import { cancelledError } from '../nodes/shared/cancellation';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PLANTED, startServer } = require('./faults/servers') as typeof import('./faults/servers');

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const SOUL = '/v1/text2image/soul';
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };
const WEBHOOK_SECRET = PLANTED.webhookSecret;
const STATUS_TEXT: Record<string, string> = { '500': 'Internal Server Error', '502': 'Bad Gateway', '504': 'Gateway Timeout' };
const HOOK = 'https://hooks.example.com/webhook/higgsfield';
const sendWebhook = { completion: 'webhook', webhookUrl: HOOK, webhookSecret: WEBHOOK_SECRET };

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 1000 });
});
afterAll(async () => await sb.close());
beforeEach(() => {
	sb.clearLog();
	sb.faults.clearScript();
	sb.configure({ credits: Infinity });
});

const soul = (parameters: IDataObject, extra: { credentials?: IDataObject; continueOnFail?: boolean; baseUrl?: string; cancelSignal?: AbortSignal } = {}) =>
	runNode({
		type: 'higgsfieldSoulImage',
		parameters: { operation: 'generate', prompt: 'a fox', options: FAST, ...parameters },
		credentials: { baseUrl: extra.baseUrl ?? sb.url, ...extra.credentials },
		continueOnFail: extra.continueOnFail,
		cancelSignal: extra.cancelSignal,
	});

/** The node an error carries (n8n stores it, with its parameters, in the execution data). */
function errorNodeParameters(result: RunResult): IDataObject | undefined {
	const node = (result.error as { node?: { parameters?: IDataObject } } | undefined)?.node;
	return node?.parameters;
}

describe('fault 5: scrubbing never touches data that merely contains a secret', () => {
	test('a credential Webhook Secret of "file": result URLs (/files/results/...), ids and the prompt arrive intact and the download works', async () => {
		const result = await soul(
			{ prompt: 'a file cabinet in a filing room', download: 'raw' },
			{ credentials: { webhookSecret: 'file' } },
		);
		expect(result.error).toBeUndefined();
		const json = result.output[0].json as IDataObject & { jobs: Array<{ results: { raw: { url: string } } }> };
		expect(json.jobs[0].results.raw.url).toContain('/files/results/');
		expect(JSON.stringify(json)).not.toContain('[redacted]');
		expect(binaryBytes(result.output[0]).subarray(1, 4).toString()).toBe('PNG');
	});

	test('an API secret that is part of a longer word or URL is left alone; the echoed webhook secret and echoed auth headers are masked', async () => {
		const short = 'abcd';
		const echo = await startServer((req, res, body) => {
			const sent = JSON.parse(body || '{}') as { params?: IDataObject; webhook?: IDataObject };
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					id: '5185f35b-6849-492d-9343-61dadcc9f97f',
					type: 'text2image_soul',
					jobs: [{ id: 'ce1076ae-c22a-46bd-8cae-ec6897d8cb18', status: 'queued', results: null }],
					input_params: sent.params,
					webhook: sent.webhook,
					link: `https://cdn.example.com/${short}efgh/${WEBHOOK_SECRET}x.png`,
					echoed_headers: { 'hf-secret': req.headers['hf-secret'], 'hf-api-key': req.headers['hf-api-key'] },
				}),
			);
		});
		try {
			const result = await soul({ ...sendWebhook, prompt: `draw ${short}efgh` }, { baseUrl: echo.url, credentials: { apiSecret: short } });
			expect(result.error).toBeUndefined();
			const json = result.output[0].json;
			expect(json.webhook).toEqual({ url: HOOK, secret: '[redacted]' });
			expect(json.echoed_headers).toEqual({ 'hf-secret': '[redacted]', 'hf-api-key': '[redacted]' });
			expect((json.input_params as IDataObject).prompt).toBe(`draw ${short}efgh`);
			expect(json.link).toBe(`https://cdn.example.com/${short}efgh/${WEBHOOK_SECRET}x.png`);
		} finally {
			await echo.close();
		}
	});
});

describe('fault 7: no error carries a literal Webhook Secret typed into the node', () => {
	const expectMasked = (result: RunResult) => {
		expect(result.error).toBeDefined();
		expect(errorNodeParameters(result)?.webhookSecret).toBe('[redacted]');
		expect(secretLeaks(result, [WEBHOOK_SECRET])).toEqual([]);
	};

	test('Stop while a submission waits out a 429 (the cancellation error)', async () => {
		sb.script([{ method: 'POST', path: SOUL, fault: '429', retryAfter: 5 }]);
		const controller = new AbortController();
		const running = soul(sendWebhook, { cancelSignal: controller.signal });
		await sleep(400);
		controller.abort();
		const result = await running;
		expect(result.output).toEqual([]);
		expect(secretLeaks(result, [WEBHOOK_SECRET])).toEqual([]);
		// n8n does not store the error of a stopped run; the error itself is safe wherever it goes
		const node = { id: 'n', name: 'Higgsfield', type: 't', typeVersion: 1, position: [0, 0] as [number, number], parameters: { webhookSecret: WEBHOOK_SECRET, options: { token: 'abc123' } } };
		expect(cancelledError(node, 0).node.parameters).toEqual({ webhookSecret: '[redacted]', options: { token: '[redacted]' } });
	});

	test('an answer that is not a job set (asJobSet)', async () => {
		const odd = await startServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"unexpected": true}');
		});
		try {
			const result = await soul(sendWebhook, { baseUrl: odd.url });
			expect(result.error?.message).toMatch(/not a job set/);
			expectMasked(result);
		} finally {
			await odd.close();
		}
	});

	test('an upload that gets no upload URL', async () => {
		const odd = await startServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{}');
		});
		try {
			const result = await runNode({
				type: 'higgsfieldSpeak',
				parameters: { operation: 'generate', prompt: 'a presenter', imageSource: 'binary', audioUrl: 'https://example.com/voice.wav', quality: 'mid', duration: 5, ...sendWebhook },
				credentials: { baseUrl: odd.url },
				items: [{ json: {}, binary: { data: { data: makePng().toString('base64'), mimeType: 'image/png', fileName: 'p.png' } } } as INodeExecutionData],
			});
			expect(result.error?.message).toMatch(/did not return an upload URL/);
			expectMasked(result);
		} finally {
			await odd.close();
		}
	});

	test('a transport error (5xx to the submission) keeps it masked too', async () => {
		sb.script([{ method: 'POST', path: SOUL, fault: '500' }]);
		expectMasked(await soul(sendWebhook));
	});

	test('asNodeError, the way out of every operation: an error built with the raw node, its cause, and a plain error all leave masked', () => {
		const raw = { id: 'n', name: 'Higgsfield', type: 't', typeVersion: 1, position: [0, 0] as [number, number], parameters: { prompt: 'a fox', webhookSecret: WEBHOOK_SECRET } };
		const ctx = { getNode: () => raw } as unknown as IExecuteFunctions;
		const inner = new NodeOperationError(raw, 'inner');
		const outer = new NodeOperationError(raw, 'outer', { itemIndex: 1 });
		(outer as { cause?: unknown }).cause = inner;
		for (const error of [asNodeError(ctx, outer, 1), asNodeError(ctx, new Error('plain'), 2), asNodeError(ctx, 'text', 3)]) {
			expect(serialize(error)).not.toContain(WEBHOOK_SECRET);
			expect((error as NodeOperationError).node.parameters).toEqual({ prompt: 'a fox', webhookSecret: '[redacted]' });
		}
		expect((inner.node.parameters as IDataObject).webhookSecret).toBe('[redacted]');
		// the node of the context itself is never changed
		expect(raw.parameters.webhookSecret).toBe(WEBHOOK_SECRET);
	});
});

describe('fault 9: a 5xx to a v1 generation POST is ambiguous; a 403 is not always "out of credits"', () => {
	test.each(['500', '502', '504'])('%s to a submission: "may have been created", not sent again, and how to check', async (fault) => {
		sb.script([{ method: 'POST', path: SOUL, fault }]);
		const result = await soul({ download: 'none' });
		expect(sb.log.filter((entry) => entry.method === 'POST')).toHaveLength(1);
		expect(result.error?.message).toBe(`The job may have been created: POST ${SOUL} was answered with a server error (${fault}): ${STATUS_TEXT[fault]} [item 0]`);
		expect(result.error?.description).toMatch(/^It was not sent again, so you are not charged twice\. Before running this item again, check whether the job exists: /);
		expect(result.error?.description).toMatch(/Higgsfield dashboard/);
		expect(result.error?.description).toMatch(/Get Job Set/);
		expect(result.error?.description).toMatch(/Higgsfield Trigger/);
		expect(result.error?.description).not.toMatch(/try again later/i);
	});

	test('a 502 to creating a character: "the character may have been created", and where to look', async () => {
		sb.script([{ method: 'POST', path: '/v1/custom-references', fault: '502' }]);
		const result = await runNode({
			type: 'higgsfieldCharacters',
			parameters: { operation: 'create', name: 'Ada', images: { image: [{ imageSource: 'url', imageUrl: 'https://example.com/a.png' }] }, options: FAST },
			credentials: { baseUrl: sb.url },
		});
		expect(sb.log.filter((entry) => entry.method === 'POST')).toHaveLength(1);
		expect(result.error?.message).toBe('The character may have been created: POST /v1/custom-references was answered with a server error (502): Bad Gateway [item 0]');
		expect(result.error?.description).toMatch(/Higgsfield Characters > Get Many/);
	});

	test('a 403 that is not about credits shows the service\'s own text', async () => {
		const forbidden = await startServer((_req, res) => {
			res.writeHead(403, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ detail: 'This API key may not use model soul' }));
		});
		try {
			const result = await soul({ download: 'none' }, { baseUrl: forbidden.url });
			expect(result.error?.message).toBe('Higgsfield refused the request (403): This API key may not use model soul [item 0]');
			expect(result.error?.description).not.toMatch(/credits/);
		} finally {
			await forbidden.close();
		}
	});

	test('the out-of-credits 403 keeps its wording', async () => {
		sb.configure({ credits: 0 });
		const result = await soul({ download: 'none' });
		expect(result.error?.message).toMatch(/^The Higgsfield account is out of credits \(403\)/);
	});
});

describe('the credential\'s Webhook Signing Secret is one of the secrets kept out of answers and errors', () => {
	test('an error quoting it does not show it', async () => {
		const signing = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
		const echo = await startServer((_req, res) => {
			res.writeHead(422, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ detail: `signing key ${signing} is not allowed here` }));
		});
		try {
			const result = await runNode({
				type: 'higgsfieldSoulImage',
				parameters: { operation: 'listStyles' },
				credentials: { baseUrl: echo.url, webhookSigningSecret: signing } as never,
			});
			expect(result.error?.message).toBe("Higgsfield rejected the request's fields (422): signing key [redacted] is not allowed here [item 0]");
			expect(secretLeaks(result, [signing])).toEqual([]);
		} finally {
			await echo.close();
		}
	});
});
