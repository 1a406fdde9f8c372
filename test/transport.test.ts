// The transport: error texts (in the service's words, with item, status and correlation ID, and
// never a credential secret), what is retried and what is not, and the pure retry policy.
import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { runNode, type RunResult } from './helpers/n8n';
import { startSandbox } from './sandbox';
import { detailText, httpStatusError } from '../nodes/shared/transport/errors';
import { redactText } from '../nodes/shared/transport/scrub';
import {
	DEFAULT_RETRY_POLICY,
	hasAttemptsLeft,
	isAmbiguousSubmission,
	isConcurrencyLimit,
	isRetryable,
	parseRetryAfterMs,
	retryDelayMs,
	wasCertainlyNotAccepted,
	type RetryPolicy,
} from '../nodes/shared/transport/retryPolicy';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const SOUL = '/v1/text2image/soul';
const KEY = 'hf-sandbox-key';
const SECRET = 'hf-sandbox-secret';
const UNKNOWN = '00000000-0000-4000-8000-0000000000ff';
const CORRELATION = /Correlation ID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.$/;
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2 });
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => {
	sb.clearLog();
	sb.configure({ credits: Infinity, concurrency: 4 });
	sb.faults.clearScript();
});

/** Every text an error carries, and the whole run, as n8n would store or show them. */
function expectNoSecret(result: RunResult, secrets: string[]): void {
	const error = result.error as Error & { description?: string; cause?: unknown; context?: unknown };
	const texts = [
		error.message,
		error.description ?? '',
		JSON.stringify(error),
		JSON.stringify(error.cause ?? null),
		JSON.stringify(error.context ?? null),
		String(error.stack),
		JSON.stringify(result.run.data.resultData),
	];
	for (const secret of secrets) {
		for (const text of texts) expect(text).not.toContain(secret);
	}
}

describe('HTTP errors from real executions', () => {
	test.each(['hfHeaders', 'authorizationKey'] as const)('401: wrong key and secret (%s)', async (headerScheme) => {
		const [wrongId, wrongPair] = ['hf-wrong-key-7f3a', 'hf-wrong-secret-91c2e'];
		const result = await runNode({
			type: 'higgsfieldSoulImage',
			parameters: { operation: 'listStyles' },
			credentials: { baseUrl: sb.url, headerScheme, apiKey: wrongId, apiSecret: wrongPair },
		});
		const { error } = result;
		expect(error?.message).toBe('Higgsfield did not accept the API key (401): Invalid API key or secret [item 0]');
		expect(error?.description).toMatch(/^Check the API Key, API Secret and Header Scheme of the Higgsfield credential\. Correlation ID: /);
		expect(error?.description).toMatch(CORRELATION);
		expect(error?.httpCode).toBe('401');
		expect(sb.log.every((entry) => entry.status === 401)).toBe(true);
		expectNoSecret(result, [wrongId, wrongPair]);
	});

	test('403: out of credits, not retried, nothing created', async () => {
		sb.configure({ credits: 0 });
		const result = await runNode({
			type: 'higgsfieldSoulImage',
			parameters: { operation: 'generate', prompt: 'a fox', options: FAST },
			credentials: { baseUrl: sb.url },
		});
		expect(result.error?.message).toBe('The Higgsfield account is out of credits (403): Not enough credits [item 0]');
		expect(result.error?.description).toMatch(/^Top up credits in the Higgsfield dashboard, then run the workflow again\. Nothing was charged for this request\. /);
		expect(result.error?.description).toMatch(CORRELATION);
		expect(result.error?.httpCode).toBe('403');
		expect(sb.log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', SOUL, 403]]);
		expect(sb.acceptedSubmissions()).toEqual([]);
		expectNoSecret(result, [KEY, SECRET]);
	});

	test('422 through a node: the field path and the message of the service', async () => {
		// the node does not cap the number of training images; the service allows 20
		const images = Array.from({ length: 21 }, (_unused, index) => ({ imageSource: 'url', imageUrl: `https://example.com/${index}.png` }));
		const result = await runNode({
			type: 'higgsfieldCharacters',
			parameters: { operation: 'create', name: 'Many', images: { image: images }, waitForTraining: false },
			credentials: { baseUrl: sb.url },
			items: [{ json: {} }, { json: {} }],
		});
		expect(result.error?.message).toBe(
			"Higgsfield rejected the request's fields (422): input_images: List should have at most 20 items after validation, not 21 [item 0]",
		);
		expect(result.error?.httpCode).toBe('422');
		expect(result.error?.description).toMatch(/^Each field path above names the parameter the service did not accept\. /);
		expect(result.error?.description).toMatch(CORRELATION);
		// a rejected submission is not sent again, and the next item is not sent after a fatal error
		expect(sb.log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/v1/custom-references', 422]]);
		expectNoSecret(result, [KEY, SECRET]);
	});

	test('422 with several fields, from a real sandbox answer: each path and message in the error', async () => {
		const response = await fetch(`${sb.url}${SOUL}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'hf-api-key': KEY, 'hf-secret': SECRET },
			body: JSON.stringify({ params: { prompt: 'x', width_and_height: '1024x1024', quality: '4k', batch_size: 3, seed: -1, style_id: '' } }),
		});
		expect(response.status).toBe(422);
		const body = (await response.json()) as { detail: Array<{ loc: string[]; msg: string }> };
		const correlationId = response.headers.get('x-correlation-id') as string;
		expect(body.detail.map((entry) => entry.loc.join('.'))).toEqual([
			'body.params.width_and_height',
			'body.params.quality',
			'body.params.batch_size',
			'body.params.seed',
			'body.params.style_id',
		]);
		const node = { name: 'Higgsfield', type: 'n8n-nodes-higgsfield.higgsfieldSoulImage' } as INode;
		const error = httpStatusError(
			node,
			{ method: 'POST', path: SOUL, status: 422, body, detail: detailText(body), correlationId },
			3,
			[KEY, SECRET],
		);
		expect(error.message).toMatch(/^Higgsfield rejected the request's fields \(422\): params\.width_and_height: Input should be '1152x2048', /);
		for (const entry of body.detail) expect(error.message).toContain(`${entry.loc.slice(1).join('.')}: ${entry.msg}`);
		expect(error.message).toContain("params.quality: Input should be '720p' or '1080p'; ");
		expect(error.message).toContain('params.batch_size: Input should be 1 or 4; ');
		expect(error.message).toContain('params.seed: Input should be greater than or equal to 0; ');
		expect(error.message).toContain('params.style_id: Input should be a valid UUID');
		expect(error.message).toMatch(/ \[item 3\]$/);
		expect(error.description).toContain(`Correlation ID: ${correlationId}.`);
		expect(error.httpCode).toBe('422');
	});

	test('400 concurrency cap: retried until the wait budget (the Timeout option) runs out, then the cap wording', async () => {
		sb.configure({ concurrency: 1 });
		// another workflow holds the only slot
		const busy = await fetch(`${sb.url}${SOUL}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'hf-api-key': KEY, 'hf-secret': SECRET },
			body: JSON.stringify({ params: { prompt: 'busy [sandbox:seconds=30]', width_and_height: '1536x1536', quality: '720p' } }),
		});
		expect(busy.status).toBe(200);
		sb.clearLog();
		const result = await runNode({
			type: 'higgsfieldSoulImage',
			parameters: { operation: 'generate', prompt: 'a fox', options: { ...FAST, timeoutMinutes: 0.01 } },
			credentials: { baseUrl: sb.url },
		});
		expect(result.error?.message).toBe(
			"Higgsfield's limit of concurrent generations was reached (400): Maximum number of concurrent requests (1) has been reached [item 0]",
		);
		expect(result.error?.description).toMatch(
			/^Lower "Max Concurrent Jobs", or wait for your other generations to finish\. Nothing was created by this request\. Correlation ID: /,
		);
		expect(result.error?.httpCode).toBe('400');
		const posts = sb.log.filter((entry) => entry.method === 'POST');
		expect(posts.length).toBeGreaterThanOrEqual(2);
		expect(posts.every((entry) => entry.status === 400 && !entry.accepted)).toBe(true);
		expect(sb.log.length).toBe(posts.length);
		expectNoSecret(result, [KEY, SECRET]);
	});

	test('404: Get Job Set of an unknown ID names the path and the item', async () => {
		const result = await runNode({
			type: 'higgsfieldGetJobSet',
			parameters: { jobSetId: '={{ $json.id }}' },
			credentials: { baseUrl: sb.url, headerScheme: 'authorizationKey' },
			items: [{ json: { id: UNKNOWN } }, { json: { id: UNKNOWN } }],
		});
		expect(result.error?.message).toMatch(new RegExp(`^Higgsfield found nothing at /v1/job-sets/${UNKNOWN} \\(404\\): Job set not found \\[item [01]\\]$`));
		expect(result.error?.description).toMatch(/^Check the id: job sets, requests and characters are only visible to the account that created them\. /);
		expect(result.error?.description).toMatch(CORRELATION);
		expect(result.error?.httpCode).toBe('404');
		// reads are not retried on a 4xx
		expect(sb.log.map((entry) => entry.status)).toEqual([404, 404]);
		expectNoSecret(result, [KEY, SECRET]);
	});

	test('the item index is the failing item', async () => {
		const result = await runNode({
			type: 'higgsfieldCharacters',
			parameters: { operation: 'get', characterId: '={{ $json.id }}' },
			credentials: { baseUrl: sb.url },
			items: [{ json: { id: UNKNOWN.replace('ff', '01') } }, { json: { id: UNKNOWN } }],
			continueOnFail: true,
		});
		expect(result.output.map((item) => item.json.error)).toEqual([
			`Higgsfield found nothing at /v1/custom-references/${UNKNOWN.replace('ff', '01')} (404): Custom reference not found [item 0]`,
			`Higgsfield found nothing at /v1/custom-references/${UNKNOWN} (404): Custom reference not found [item 1]`,
		]);
	});
});

describe('retries in real executions', () => {
	test('reads are retried on 503 and 429 (Retry-After), then succeed', async () => {
		sb.script([
			{ method: 'GET', path: '/v1/text2image/soul-styles', fault: '503' },
			{ method: 'GET', path: '/v1/text2image/soul-styles', fault: '429', retryAfter: 0 },
		]);
		const result = await runNode({ type: 'higgsfieldSoulImage', parameters: { operation: 'listStyles' }, credentials: { baseUrl: sb.url } });
		expect(result.error).toBeUndefined();
		expect(sb.log.map((entry) => entry.status)).toEqual([503, 429, 200]);
		expect(result.output.length).toBeGreaterThan(0);
	});

	test('a submission answered with 500 is not sent again', async () => {
		sb.script([{ method: 'POST', path: SOUL, fault: '500' }]);
		const result = await runNode({
			type: 'higgsfieldSoulImage',
			parameters: { operation: 'generate', prompt: 'a fox', options: FAST },
			credentials: { baseUrl: sb.url },
		});
		// issue 13 fault 9: a 5xx to a submission may have created the job
		expect(result.error?.message).toBe('The job may have been created: POST /v1/text2image/soul was answered with a server error (500): Internal Server Error [item 0]');
		expect(sb.log.map((entry) => [entry.method, entry.status])).toEqual([['POST', 500]]);
	});

	test('a submission whose connection broke after it was accepted: "may have been created", never resent', async () => {
		sb.script([{ method: 'POST', path: SOUL, fault: 'dropAfterAccept' }]);
		const result = await runNode({
			type: 'higgsfieldSoulImage',
			parameters: { operation: 'generate', prompt: 'a fox', options: FAST },
			credentials: { baseUrl: sb.url },
		});
		expect(result.error?.message).toMatch(
			/^The job may have been created: POST \/v1\/text2image\/soul was sent but the connection broke before Higgsfield answered \(\w+\) \[item 0\]$/,
		);
		expect(result.error?.description).toContain('you are not charged twice');
		expect(sb.log.filter((entry) => entry.method === 'POST')).toHaveLength(1);
		expect(sb.acceptedSubmissions(SOUL)).toHaveLength(1);
		expectNoSecret(result, [KEY, SECRET]);
	});
});

describe('errors.ts', () => {
	test('detailText reads FastAPI bodies', () => {
		expect(detailText({ detail: 'style not found' })).toBe('style not found');
		expect(detailText({ detail: [{ loc: ['body', 'params', 'seed'], msg: 'too small' }, { loc: ['query', 'page'], msg: 'bad' }] })).toBe(
			'params.seed: too small; query.page: bad',
		);
		expect(detailText({ detail: [{ msg: 'no location' }] })).toBe('no location');
		expect(detailText({ message: 'plain message' })).toBe('plain message');
		expect(detailText({ detail: { code: 'not_enough_credits' } })).toBe('{"code":"not_enough_credits"}');
		expect(detailText('  ')).toBeUndefined();
		expect(detailText(null)).toBeUndefined();
		expect(detailText('x'.repeat(600))).toHaveLength(500);
	});

	test('redactText masks every occurrence of each secret of 4 characters or more that stands as a token of its own', () => {
		expect(redactText('key hf-sandbox-key and hf-sandbox-key, secret hf-sandbox-secret', [SECRET, KEY])).toBe(
			'key [redacted] and [redacted], secret [redacted]',
		);
		expect(redactText('abc', ['abc'])).toBe('abc');
		// inside a longer word, path segment or id it is not the secret (issue 13, fault 5)
		expect(redactText('Downloading /files/results/x.png failed; secret: file', ['file'])).toBe('Downloading /files/results/x.png failed; secret: [redacted]');
	});

	test('a secret echoed by the service never reaches the error (message, description, cause, JSON)', () => {
		const node = { name: 'Higgsfield', type: 'x' } as INode;
		const error = httpStatusError(node, { method: 'GET', path: '/v1/motions', status: 401, detail: `unknown key ${KEY}:${SECRET}` }, 0, [KEY, SECRET]);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Higgsfield did not accept the API key (401): unknown key [redacted]:[redacted] [item 0]');
		for (const text of [error.message, String(error.description), JSON.stringify(error), JSON.stringify(error.cause ?? null), String(error.stack)]) {
			expect(text).not.toContain(SECRET);
			expect(text).not.toContain(KEY);
		}
	});
});

describe('retryPolicy.ts', () => {
	const policy: RetryPolicy = { maxReadAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, busyBudgetMs: 5_000 };
	const concurrency = { status: 400, detail: 'Maximum number of concurrent requests (4) has been reached' };

	test('isConcurrencyLimit: only the 400 with the cap wording', () => {
		expect(isConcurrencyLimit(concurrency)).toBe(true);
		expect(isConcurrencyLimit({ status: 400, detail: 'style not found' })).toBe(false);
		expect(isConcurrencyLimit({ status: 429, detail: concurrency.detail })).toBe(false);
	});

	test.each([
		// [outcome, read retried, submit retried]
		[{ status: 500 }, true, false],
		[{ status: 502 }, true, false],
		[{ status: 503 }, true, false],
		[{ status: 429 }, true, true],
		[concurrency, false, true],
		[{ status: 400, detail: 'style not found' }, false, false],
		[{ status: 401 }, false, false],
		[{ status: 403 }, false, false],
		[{ status: 404 }, false, false],
		[{ status: 422 }, false, false],
		[{ networkCode: 'ECONNREFUSED' }, true, true],
		[{ networkCode: 'ENOTFOUND' }, true, true],
		[{ networkCode: 'ECONNRESET' }, true, false],
		[{ networkCode: 'ETIMEDOUT' }, true, false],
		[{ networkCode: 'UND_ERR_SOCKET' }, true, false],
		[{ networkCode: 'ERR_CANCELED' }, false, false],
		[{ networkCode: 'EWHATEVER' }, false, false],
	])('isRetryable(%j): read %s, submit %s', (outcome, read, submit) => {
		expect(isRetryable('read', outcome)).toBe(read);
		expect(isRetryable('submit', outcome)).toBe(submit);
	});

	test('ambiguous: a submission sent without an answer (not refused, not cancelled)', () => {
		expect(isAmbiguousSubmission('submit', { networkCode: 'ECONNRESET' })).toBe(true);
		expect(isAmbiguousSubmission('submit', { networkCode: 'ETIMEDOUT' })).toBe(true);
		expect(isAmbiguousSubmission('submit', { networkCode: 'ECONNREFUSED' })).toBe(false);
		expect(isAmbiguousSubmission('submit', { networkCode: 'ERR_CANCELED' })).toBe(false);
		expect(isAmbiguousSubmission('submit', { status: 500 })).toBe(false);
		expect(isAmbiguousSubmission('read', { networkCode: 'ECONNRESET' })).toBe(false);
		expect(wasCertainlyNotAccepted({ status: 500 })).toBe(false);
		expect(wasCertainlyNotAccepted({ networkCode: 'EAI_AGAIN' })).toBe(true);
	});

	test('parseRetryAfterMs: seconds or an HTTP date', () => {
		const now = Date.parse('2026-05-27T14:00:00Z');
		expect(parseRetryAfterMs('3', now)).toBe(3000);
		expect(parseRetryAfterMs('0.5', now)).toBe(500);
		expect(parseRetryAfterMs('0', now)).toBe(0);
		expect(parseRetryAfterMs('-4', now)).toBe(0);
		expect(parseRetryAfterMs('Wed, 27 May 2026 14:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfterMs('Wed, 27 May 2026 13:59:00 GMT', now)).toBe(0);
		expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
		expect(parseRetryAfterMs('  ', now)).toBeUndefined();
		expect(parseRetryAfterMs('soon', now)).toBeUndefined();
	});

	test('retryDelayMs: exponential with full jitter in [ceiling/2, ceiling], capped', () => {
		const low = () => 0;
		const high = () => 1;
		const ceilings = [100, 200, 400, 800, 1000, 1000];
		ceilings.forEach((ceiling, index) => {
			expect(retryDelayMs(index + 1, { status: 503 }, policy, low)).toBe(ceiling / 2);
			expect(retryDelayMs(index + 1, { status: 503 }, policy, high)).toBe(ceiling);
		});
		for (let attempt = 1; attempt < 20; attempt++) {
			const delay = retryDelayMs(attempt, { status: 500 }, DEFAULT_RETRY_POLICY);
			expect(delay).toBeGreaterThanOrEqual(DEFAULT_RETRY_POLICY.baseDelayMs / 2);
			expect(delay).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
		}
	});

	test('retryDelayMs: the server Retry-After is a minimum, never below the backoff (a longer one than the policy allows ends the retries: test/faults/retryPolicy.test.ts)', () => {
		expect(retryDelayMs(1, { status: 429, retryAfter: '2' }, policy, () => 0)).toBe(2000);
		expect(retryDelayMs(5, { status: 429, retryAfter: '0' }, policy, () => 1)).toBe(1000);
		expect(hasAttemptsLeft('read', 1, { status: 429, retryAfter: '3600' }, 0, policy, 0)).toBe(false);
		expect(retryDelayMs(1, { status: 429, retryAfter: 'later' }, policy, () => 1)).toBe(100);
	});

	test('hasAttemptsLeft: reads by count, waiting for a slot by time', () => {
		const start = 1_000_000;
		expect(hasAttemptsLeft('read', 3, { status: 503 }, start, policy, start)).toBe(true);
		expect(hasAttemptsLeft('read', 4, { status: 503 }, start, policy, start)).toBe(false);
		// the concurrency cap and a submission's 429 are waited out within the busy budget
		expect(hasAttemptsLeft('submit', 50, concurrency, start, policy, start + 4_999)).toBe(true);
		expect(hasAttemptsLeft('submit', 2, concurrency, start, policy, start + 5_000)).toBe(false);
		expect(hasAttemptsLeft('submit', 50, { status: 429 }, start, policy, start + 1_000)).toBe(true);
		expect(hasAttemptsLeft('submit', 2, { status: 429 }, start, policy, start + 5_000)).toBe(false);
		// a read's 429 counts attempts
		expect(hasAttemptsLeft('read', 4, { status: 429 }, start, policy, start)).toBe(false);
	});
});
