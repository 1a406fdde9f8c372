// The transport under faults, in real n8n executions against the sandbox (default `npm test`):
// Retry-After honoured, backoff between upload attempts, cancel during a retry wait, redirects
// never followed with the API key, requests refused by n8n itself never called "may have been
// created", storage errors in storage terms.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { runNode } from '../helpers/n8n';
import { makePng, startSandbox } from '../sandbox';
import { detailText } from '../../nodes/shared/transport/errors';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { setSsrfProtection, startServer, startRedirector } = require('./servers') as typeof import('./servers');

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const SOUL = '/v1/text2image/soul';
const STYLES = '/v1/text2image/soul-styles';
const SPEAK = '/v1/speak/higgsfield';
const SECRET = 'hf-sandbox-secret';
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };
/** scheduling slack on a busy 2-core machine */
const SLACK_MS = 400;

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2 });
});
afterAll(async () => await sb.close());
beforeEach(() => {
	sb.clearLog();
	sb.faults.clearScript();
});

const listStyles = (baseUrl = sb.url, extra: { headerScheme?: 'hfHeaders' | 'authorizationKey'; cancelSignal?: AbortSignal } = {}) =>
	runNode({
		type: 'higgsfieldSoulImage',
		parameters: { operation: 'listStyles' },
		credentials: { baseUrl, headerScheme: extra.headerScheme },
		cancelSignal: extra.cancelSignal,
	});
const generate = (parameters: IDataObject = {}, items?: INodeExecutionData[]) =>
	runNode({
		type: 'higgsfieldSoulImage',
		parameters: { operation: 'generate', prompt: 'a fox', options: FAST, ...parameters },
		credentials: { baseUrl: sb.url },
		items,
	});

/** Time from the service's answer to the next request's arrival. */
const gapAfter = (first: { answeredAt: number | null }, next: { time: number }) => next.time - (first.answeredAt ?? 0);

describe('Retry-After', () => {
	test('a read waits at least the Retry-After (2 s), plus at most 10% jitter, then succeeds', async () => {
		sb.script([{ method: 'GET', path: STYLES, fault: '429', retryAfter: 2 }]);
		const result = await listStyles();
		expect(result.error).toBeUndefined();
		expect(sb.log.map((entry) => entry.status)).toEqual([429, 200]);
		const gap = gapAfter(sb.log[0], sb.log[1]);
		expect(gap).toBeGreaterThanOrEqual(1_995);
		expect(gap).toBeLessThanOrEqual(2_200 + SLACK_MS);
	});

	test('a Retry-After of 0 still backs off (at least 250 ms before the first retry), no tight loop', async () => {
		sb.script([{ method: 'GET', path: STYLES, fault: '429', retryAfter: 0, times: 2 }]);
		const result = await listStyles();
		expect(result.error).toBeUndefined();
		expect(sb.log.map((entry) => entry.status)).toEqual([429, 429, 200]);
		expect(gapAfter(sb.log[0], sb.log[1])).toBeGreaterThanOrEqual(245);
		expect(gapAfter(sb.log[1], sb.log[2])).toBeGreaterThanOrEqual(495);
	});

	test('a Retry-After longer than the node waits (an hour): no retry, and the error says how long Higgsfield asked', async () => {
		sb.script([{ method: 'GET', path: STYLES, fault: '429', retryAfter: 3600 }]);
		const result = await listStyles();
		expect(sb.log.map((entry) => entry.status)).toEqual([429]);
		expect(result.error?.message).toBe('Higgsfield is rate limiting requests (429): Too Many Requests [item 0]');
		expect(result.error?.description).toMatch(
			/^Higgsfield asked to wait 3600 s before trying again \(Retry-After\), longer than this node waits\. Run the workflow again later, or lower "Max Concurrent Jobs"\. Correlation ID: [0-9a-f-]{36}\.$/,
		);
	});

	test('a submission answered 429 was not accepted: it is sent again after the Retry-After, and accepted once', async () => {
		sb.script([{ method: 'POST', path: SOUL, fault: '429', retryAfter: 1 }]);
		const result = await generate({ download: 'none' });
		expect(result.error).toBeUndefined();
		const posts = sb.log.filter((entry) => entry.method === 'POST');
		expect(posts.map((entry) => [entry.status, entry.accepted])).toEqual([
			[429, false],
			[200, true],
		]);
		expect(gapAfter(posts[0], posts[1])).toBeGreaterThanOrEqual(995);
		expect(result.output[0].json).toMatchObject({ id: posts[1].jobSetId, status: 'completed' });
	});
});

describe('connection refused', () => {
	test('Higgsfield briefly down (nothing listening): the submission is sent again, since nothing was sent, and accepted once', async () => {
		// a port that was just free: nothing listens for the first attempts, then the service comes back
		const probe = await startSandbox();
		const port = Number(new URL(probe.url).port);
		await probe.close();
		let revived: Sandbox | undefined;
		const revive = sleep(1_200).then(async () => {
			revived = await startSandbox({ port, jobSeconds: 0.2 });
		});
		try {
			const result = await runNode({
				type: 'higgsfieldSoulImage',
				parameters: { operation: 'generate', prompt: 'a fox', download: 'none', options: FAST },
				credentials: { baseUrl: `http://127.0.0.1:${port}` },
			});
			await revive;
			expect(result.error).toBeUndefined();
			expect(revived?.acceptedSubmissions(SOUL)).toHaveLength(1);
			expect(revived?.log.filter((entry) => entry.method === 'POST')).toHaveLength(1);
			expect(result.output[0].json).toMatchObject({ id: revived?.acceptedSubmissions(SOUL)[0].jobSetId, status: 'completed' });
		} finally {
			await revive;
			await revived?.close();
		}
	});
});

describe('cancel', () => {
	test('Stop during a retry wait ends the run at once, with no request after it', async () => {
		sb.script([{ method: 'GET', path: STYLES, fault: '503', times: 8 }]);
		const controller = new AbortController();
		const running = listStyles(sb.url, { cancelSignal: controller.signal });
		// stop while the node waits before its third or fourth attempt
		await sleep(1_400);
		controller.abort();
		const stoppedAt = Date.now();
		const result = await running;
		expect(Date.now() - stoppedAt).toBeLessThan(500);
		expect(result.output).toEqual([]);
		expect(sb.log.length).toBeGreaterThanOrEqual(2);
		expect(sb.log.length).toBeLessThan(8);
		expect(sb.log.every((entry) => entry.time <= stoppedAt)).toBe(true);
	});
});

describe('redirects are never followed with the API key', () => {
	test.each(['hfHeaders', 'authorizationKey'] as const)('a redirect to another origin (%s): the error names it, the secret never leaves', async (headerScheme) => {
		const elsewhere = await startServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('[]');
		});
		const otherOrigin = elsewhere.url.replace('127.0.0.1', 'localhost');
		const redirector = await startRedirector(otherOrigin);
		try {
			const result = await listStyles(redirector.url, { headerScheme });
			expect(elsewhere.received).toEqual([]);
			expect(redirector.received).toHaveLength(1);
			expect(result.error?.message).toBe(`Higgsfield answered GET ${STYLES} with a redirect (302) to ${otherOrigin}${STYLES} [item 0]`);
			expect(result.error?.description).toBe(
				'Redirects are not followed, so the API key is never sent to another address. Set the Base URL of the credential to the address the API answers on (e.g. https://platform.higgsfield.ai).',
			);
			expect(JSON.stringify(result.run.data.resultData)).not.toContain(SECRET);
			expect(JSON.stringify(result.run.data.resultData)).not.toContain('do-not-show');
		} finally {
			await redirector.close();
			await elsewhere.close();
		}
	});
});

describe('a request n8n refuses to send is not "may have been created"', () => {
	afterEach(() => setSsrfProtection(false));

	test('n8n SSRF protection blocks a submission to a private address: nothing sent, not retried, said so', async () => {
		setSsrfProtection(true);
		const result = await generate();
		expect(sb.log).toEqual([]);
		expect(result.error?.message).toBe(
			`n8n did not send POST ${SOUL} to Higgsfield: The request was blocked because it resolves to a restricted IP address [item 0]`,
		);
		expect(result.error?.description).toBe(
			'Nothing reached Higgsfield, so nothing was created or charged. Check the Base URL of the credential and the network settings of this n8n instance.',
		);
	});

	test('and a read is not retried 8 times for it', async () => {
		setSsrfProtection(true);
		const started = Date.now();
		const result = await listStyles();
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(result.error?.message).toMatch(new RegExp(`^n8n did not send GET ${STYLES} to Higgsfield: `));
	});
});

describe('uploads', () => {
	const portrait = makePng();
	const speak = () =>
		runNode({
			type: 'higgsfieldSpeak',
			parameters: {
				operation: 'generate',
				prompt: 'a presenter',
				imageSource: 'binary',
				audioUrl: 'https://example.com/voice.wav',
				quality: 'mid',
				duration: 5,
				download: 'none',
				options: FAST,
			},
			credentials: { baseUrl: sb.url },
			items: [{ json: {}, binary: { data: { data: portrait.toString('base64'), mimeType: 'image/png', fileName: 'portrait.png' } } }],
		});

	test('a dropped PUT is retried with a fresh upload URL after the read backoff', async () => {
		sb.script([{ method: 'PUT', path: '/s3/', fault: 'drop', times: 2 }]);
		const result = await speak();
		expect(result.error).toBeUndefined();
		const steps = sb.log.filter((entry) => entry.path !== SPEAK && !entry.path.startsWith('/v1/job-sets/'));
		expect(steps.map((entry) => [entry.method, entry.status])).toEqual([
			['POST', 200],
			['PUT', 'dropped'],
			['POST', 200],
			['PUT', 'dropped'],
			['POST', 200],
			['PUT', 200],
		]);
		// three different presigned URLs
		expect(new Set(steps.filter((entry) => entry.method === 'PUT').map((entry) => entry.path)).size).toBe(3);
		expect(gapAfter(steps[1], steps[2])).toBeGreaterThanOrEqual(245);
		expect(gapAfter(steps[3], steps[4])).toBeGreaterThanOrEqual(495);
		expect(sb.acceptedSubmissions(SPEAK)).toHaveLength(1);
	});

	test('a PUT refused by storage (403) is not retried and is reported as a storage refusal, not as "out of credits"', async () => {
		sb.script([{ method: 'PUT', path: '/s3/', fault: '403' }]);
		const result = await speak();
		expect(sb.log.map((entry) => [entry.method, entry.status])).toEqual([
			['POST', 200],
			['PUT', 403],
		]);
		expect(result.error?.message).toBe("Uploading the file to Higgsfield's storage failed (403): Sandbox fault 403 [item 0]");
		expect(result.error?.description).toMatch(/^The upload URL refused the file \(its signed headers did not match, or it expired\)\. /);
		expect(sb.acceptedSubmissions()).toEqual([]);
	});

	test('storage XML errors are read for their code and message', () => {
		const xml = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message><RequestId>1</RequestId></Error>';
		expect(detailText(xml)).toBe('SignatureDoesNotMatch: The request signature we calculated does not match');
		expect(detailText(Buffer.from('<Error><Code>AccessDenied</Code></Error>'))).toBe('AccessDenied');
	});
});
