// The pure retry policy: what is retried, the backoff with jitter and its bounds, Retry-After.
// (Runs in the default `npm test`; real executions under faults are in *.faults.test.ts.)
import {
	DEFAULT_RETRY_POLICY,
	MAX_RETRY_AFTER_MS,
	hasAttemptsLeft,
	isAmbiguousSubmission,
	isDeletedOnRetry,
	isRetryable,
	mayHaveTakenEffect,
	retryAfterBeyondPolicy,
	retryDelayMs,
	type RetryPolicy,
} from '../../nodes/shared/transport/retryPolicy';

const policy: RetryPolicy = { maxReadAttempts: 8, baseDelayMs: 500, maxDelayMs: 8_000, busyBudgetMs: 60_000 };
const low = () => 0;
const high = () => 1;

describe('backoff: exponential, equal jitter, bounded', () => {
	test('the ceiling doubles from the base delay to the max delay; each wait is in [ceiling/2, ceiling]', () => {
		const ceilings = [500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000];
		ceilings.forEach((ceiling, index) => {
			expect(retryDelayMs(index + 1, { status: 503 }, policy, low)).toBe(ceiling / 2);
			expect(retryDelayMs(index + 1, { status: 503 }, policy, high)).toBe(ceiling);
			expect(retryDelayMs(index + 1, { status: 503 }, policy, () => 0.5)).toBe(ceiling * 0.75);
		});
	});

	test('jitter spreads parallel retries: 200 draws of the same attempt are not all equal and stay in bounds', () => {
		const delays = Array.from({ length: 200 }, () => retryDelayMs(3, { networkCode: 'ECONNRESET' }, policy));
		expect(new Set(delays).size).toBeGreaterThan(50);
		expect(Math.min(...delays)).toBeGreaterThanOrEqual(1_000);
		expect(Math.max(...delays)).toBeLessThanOrEqual(2_000);
	});

	test('the default policy: 8 read attempts, the last one 16 to 32 s after the first', () => {
		expect(DEFAULT_RETRY_POLICY).toEqual({ maxReadAttempts: 8, baseDelayMs: 500, maxDelayMs: 8_000, busyBudgetMs: 30 * 60_000, maxRetryAfterMs: 60_000 });
		const total = (random: () => number) =>
			Array.from({ length: DEFAULT_RETRY_POLICY.maxReadAttempts - 1 }, (_, index) => retryDelayMs(index + 1, { status: 500 }, DEFAULT_RETRY_POLICY, random)).reduce((a, b) => a + b, 0);
		expect(total(low)).toBe(15_750);
		expect(total(high)).toBe(31_500);
	});
});

describe('Retry-After', () => {
	test('is a minimum: the wait is the asked time plus up to 10%, so waiting requests do not return in lockstep', () => {
		expect(retryDelayMs(1, { status: 429, retryAfter: '2' }, policy, low)).toBe(2_000);
		expect(retryDelayMs(1, { status: 429, retryAfter: '2' }, policy, high)).toBe(2_200);
		expect(retryDelayMs(1, { status: 503, retryAfter: '30' }, policy, () => 0.5)).toBe(31_500);
	});

	test('an HTTP date is honoured too', () => {
		const inFive = new Date(Date.now() + 5_000).toUTCString();
		const delay = retryDelayMs(1, { status: 429, retryAfter: inFive }, policy, low);
		expect(delay).toBeGreaterThan(3_900);
		expect(delay).toBeLessThanOrEqual(5_000);
	});

	test('a Retry-After of 0 (or a past date) never makes a tight loop: the backoff still applies', () => {
		expect(retryDelayMs(1, { status: 429, retryAfter: '0' }, policy, low)).toBe(250);
		expect(retryDelayMs(4, { status: 429, retryAfter: '0' }, policy, high)).toBe(4_000);
		expect(retryDelayMs(2, { status: 429, retryAfter: 'Wed, 01 Jan 2020 00:00:00 GMT' }, policy, low)).toBe(500);
	});

	test('a Retry-After shorter than the backoff does not shorten it', () => {
		expect(retryDelayMs(5, { status: 429, retryAfter: '1' }, policy, low)).toBe(4_000);
	});

	test('longer than the policy waits out (60 s by default): no retry at all, for reads and submissions', () => {
		expect(MAX_RETRY_AFTER_MS).toBe(60_000);
		const tooLong = { status: 429, retryAfter: '3600' };
		expect(retryAfterBeyondPolicy(tooLong, policy)).toBe(3_600_000);
		expect(retryAfterBeyondPolicy({ status: 429, retryAfter: '60' }, policy)).toBeUndefined();
		expect(hasAttemptsLeft('read', 1, tooLong, 0, policy, 0)).toBe(false);
		expect(hasAttemptsLeft('submit', 1, tooLong, 0, policy, 0)).toBe(false);
		expect(hasAttemptsLeft('read', 1, { status: 429, retryAfter: '60' }, 0, policy, 0)).toBe(true);
		expect(hasAttemptsLeft('read', 1, tooLong, 0, { ...policy, maxRetryAfterMs: 4_000_000 }, 0)).toBe(true);
		// and the delay itself never exceeds the limit, whatever a caller does
		expect(retryDelayMs(1, tooLong, policy, low)).toBe(60_000);
	});
});

describe('what is retried', () => {
	test('a submission is retried only when it certainly did not leave, and only for a passing reason', () => {
		expect(isRetryable('submit', { networkCode: 'ECONNREFUSED' })).toBe(true);
		expect(isRetryable('submit', { networkCode: 'EAI_AGAIN' })).toBe(true);
		// never sent, but a malformed URL never gets better
		expect(isRetryable('submit', { networkCode: 'ERR_INVALID_URL' })).toBe(false);
		expect(isAmbiguousSubmission('submit', { networkCode: 'ERR_INVALID_URL' })).toBe(false);
		// timeouts and broken connections after sending: not retried, "may have been created"
		for (const networkCode of ['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'EUNKNOWN']) {
			expect(isRetryable('submit', { networkCode })).toBe(false);
			expect(isAmbiguousSubmission('submit', { networkCode })).toBe(true);
		}
	});

	test('reads are retried on the undici timeouts as well', () => {
		for (const networkCode of ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ENETDOWN', 'ECONNABORTED']) {
			expect(isRetryable('read', { networkCode })).toBe(true);
		}
		expect(isRetryable('read', { status: 302 })).toBe(false);
	});

	test('waiting for a slot (the 400 cap, a submission\'s 429) is bounded by the busy budget, not by attempts', () => {
		const cap = { status: 400, detail: 'Maximum number of concurrent requests (4) has been reached' };
		expect(hasAttemptsLeft('submit', 500, cap, 0, policy, 59_999)).toBe(true);
		expect(hasAttemptsLeft('submit', 2, cap, 0, policy, 60_000)).toBe(false);
		expect(hasAttemptsLeft('read', 8, { status: 503 }, 0, policy, 0)).toBe(false);
		expect(hasAttemptsLeft('read', 7, { status: 503 }, 0, policy, 0)).toBe(true);
	});
});

describe('idempotentSubmit: a submission with an Idempotency-Key (the request API)', () => {
	test('retried like a read on every network error, including after the service may have accepted it, and on 5xx', () => {
		for (const networkCode of ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'ECONNREFUSED', 'EAI_AGAIN']) {
			expect(isRetryable('idempotentSubmit', { networkCode })).toBe(true);
		}
		for (const status of [500, 502, 503, 504]) expect(isRetryable('idempotentSubmit', { status })).toBe(true);
		expect(hasAttemptsLeft('idempotentSubmit', 7, { status: 502 }, 0, policy, 0)).toBe(true);
		expect(hasAttemptsLeft('idempotentSubmit', 8, { networkCode: 'ECONNRESET' }, 0, policy, 0)).toBe(false);
	});

	test('never "may have been created": the key makes a repeat return the original request', () => {
		for (const networkCode of ['ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EUNKNOWN']) {
			expect(isAmbiguousSubmission('idempotentSubmit', { networkCode })).toBe(false);
		}
	});

	test('429 account_queue_full and the older 400 concurrency answer are waited out within the busy budget', () => {
		const queueFull = { status: 429, retryAfter: '5', detail: 'Account queue is full' };
		const cap = { status: 400, detail: 'Maximum number of concurrent requests (4) has been reached' };
		for (const outcome of [queueFull, cap]) {
			expect(isRetryable('idempotentSubmit', outcome)).toBe(true);
			expect(hasAttemptsLeft('idempotentSubmit', 50, outcome, 0, policy, 59_999)).toBe(true);
			expect(hasAttemptsLeft('idempotentSubmit', 2, outcome, 0, policy, 60_000)).toBe(false);
		}
		expect(retryDelayMs(1, queueFull, policy, low)).toBe(5_000);
		// a Retry-After beyond what the policy waits out still ends the wait
		expect(hasAttemptsLeft('idempotentSubmit', 1, { status: 429, retryAfter: '3600' }, 0, policy, 0)).toBe(false);
	});

	test('other 4xx and a malformed URL are final', () => {
		for (const status of [400, 401, 403, 404, 422, 423]) expect(isRetryable('idempotentSubmit', { status, detail: 'bad input' })).toBe(false);
		expect(isRetryable('idempotentSubmit', { networkCode: 'ERR_INVALID_URL' })).toBe(false);
		expect(isRetryable('idempotentSubmit', { networkCode: 'ERR_CANCELED' })).toBe(false);
	});
});

describe('delete: retried like a read; a 404 after an attempt that may have deleted counts as deleted', () => {
	test('retried on network errors and 5xx, not on 4xx', () => {
		expect(isRetryable('delete', { networkCode: 'ECONNRESET' })).toBe(true);
		expect(isRetryable('delete', { status: 502 })).toBe(true);
		expect(isRetryable('delete', { status: 404 })).toBe(false);
		expect(isAmbiguousSubmission('delete', { networkCode: 'ECONNRESET' })).toBe(false);
	});

	test('which earlier attempts may have deleted: an answer lost after sending or a 5xx; not a refused connection, a 429 or a 4xx', () => {
		for (const outcome of [{ networkCode: 'ECONNRESET' }, { networkCode: 'ECONNABORTED' }, { status: 502 }, { status: 504 }]) {
			expect(mayHaveTakenEffect(outcome)).toBe(true);
		}
		for (const outcome of [{ networkCode: 'ECONNREFUSED' }, { networkCode: 'ENOTFOUND' }, { networkCode: 'ERR_CANCELED' }, { status: 429 }, { status: 400 }]) {
			expect(mayHaveTakenEffect(outcome)).toBe(false);
		}
		expect(isDeletedOnRetry('delete', { status: 404 }, true)).toBe(true);
		expect(isDeletedOnRetry('delete', { status: 404 }, false)).toBe(false);
		expect(isDeletedOnRetry('read', { status: 404 }, true)).toBe(false);
		expect(isDeletedOnRetry('delete', { status: 410 }, true)).toBe(false);
	});
});
