/**
 * When a failed request may be sent again, and after how long. Pure, so it is tested alone.
 *
 * Reads (status, lists, downloads, upload URLs) are safe to repeat. A v1 generation submission is
 * charged when the service accepts it and takes no idempotency key, so it is repeated only when
 * the service certainly did not accept it: the connection was refused before anything was sent,
 * the concurrency-cap 400, or a 429. A request-API submission carries an Idempotency-Key, so a
 * repeat returns the original request: it is retried like a read (network errors, timeouts, 5xx)
 * and waits for a slot like a submission (429 queue full, the 400 cap). A DELETE is retried like a
 * read; the transport counts a 404 on its retry as deleted (see `isDeletedOnRetry`).
 */

/**
 * - `read`: safe to repeat (GET, and POSTs that create nothing, such as an upload URL).
 * - `submit`: creates a charged job and takes no idempotency key (v1).
 * - `idempotentSubmit`: creates a charged request and carries an `Idempotency-Key`.
 * - `delete`: removes something; repeating it is harmless, its retry may find nothing left.
 */
export type RequestKind = 'read' | 'submit' | 'idempotentSubmit' | 'delete';

export interface AttemptOutcome {
	/** HTTP status, when an answer arrived */
	status?: number;
	/** Retry-After header, when the answer carried one */
	retryAfter?: string;
	/** the service's `detail` text, when the answer carried one */
	detail?: string;
	/** Node's error code (ECONNREFUSED, ECONNRESET, ...) when no answer arrived */
	networkCode?: string;
}

export interface RetryPolicy {
	/** attempts for reads, including the first */
	maxReadAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** how long a submission may keep waiting for a free slot under the concurrency cap */
	busyBudgetMs: number;
	/**
	 * The longest Retry-After that is waited out (default MAX_RETRY_AFTER_MS). When the service
	 * asks for a longer wait, retrying sooner would go against it: the request fails with its answer.
	 */
	maxRetryAfterMs?: number;
}

export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Reads get 8 attempts: with backoff from 0.5 s doubling to 8 s, the last one comes 16 to 32 s
 * after the first, so a status check of a paid, running job rides out half a minute of trouble.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxReadAttempts: 8,
	baseDelayMs: 500,
	maxDelayMs: 8_000,
	busyBudgetMs: 30 * 60_000,
	maxRetryAfterMs: MAX_RETRY_AFTER_MS,
};

/** Error codes that prove the request never left this machine. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

/** Error codes of a connection that broke or timed out: a request may or may not have been read. */
const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'ERR_BAD_RESPONSE',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
]);

const CONCURRENCY_DETAIL = /concurrent requests/i;

export function isConcurrencyLimit(outcome: AttemptOutcome): boolean {
	return outcome.status === 400 && CONCURRENCY_DETAIL.test(outcome.detail ?? '');
}

export function wasCertainlyNotAccepted(outcome: AttemptOutcome): boolean {
	if (outcome.networkCode !== undefined) return NOT_SENT_CODES.has(outcome.networkCode);
	return outcome.status === 429 || isConcurrencyLimit(outcome);
}

/** A submission that was sent and got no answer: it may have created a (charged) job. */
export function isAmbiguousSubmission(kind: RequestKind, outcome: AttemptOutcome): boolean {
	return (
		kind === 'submit' &&
		outcome.networkCode !== undefined &&
		!NOT_SENT_CODES.has(outcome.networkCode) &&
		outcome.networkCode !== 'ERR_CANCELED'
	);
}

export function isRetryable(kind: RequestKind, outcome: AttemptOutcome): boolean {
	if (outcome.networkCode === 'ERR_CANCELED') return false;
	const transient = outcome.networkCode === undefined || TRANSIENT_NETWORK_CODES.has(outcome.networkCode);
	// a submission that never left (refused, DNS) may go again; a malformed URL never gets better
	if (kind === 'submit') return wasCertainlyNotAccepted(outcome) && transient;
	if (outcome.networkCode !== undefined) return transient;
	const status = outcome.status ?? 0;
	// the same key returns the original request: the older concurrency answer is waited out too
	if (kind === 'idempotentSubmit' && isConcurrencyLimit(outcome)) return true;
	return status === 429 || status >= 500;
}

/**
 * Whether an attempt may have done what it asked although no success came back: a broken
 * connection or timeout after sending, or a 5xx (a gateway can answer 502/504 for a request the
 * service went on to handle). Not: a connection that was refused, a 4xx, a 429.
 */
export function mayHaveTakenEffect(outcome: AttemptOutcome): boolean {
	if (outcome.networkCode !== undefined) return !NOT_SENT_CODES.has(outcome.networkCode) && outcome.networkCode !== 'ERR_CANCELED';
	return (outcome.status ?? 0) >= 500;
}

/**
 * A DELETE answered 404 after an earlier attempt that may have deleted it: it is gone, as asked.
 * (A 404 on the first attempt, or after attempts that surely did nothing, is a real "not found".)
 */
export function isDeletedOnRetry(kind: RequestKind, outcome: AttemptOutcome, earlierMayHaveDeleted: boolean): boolean {
	return kind === 'delete' && outcome.status === 404 && earlierMayHaveDeleted;
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The Retry-After of an answer when it asks for a longer wait than the policy waits out. */
export function retryAfterBeyondPolicy(outcome: AttemptOutcome, policy: RetryPolicy): number | undefined {
	const asked = parseRetryAfterMs(outcome.retryAfter);
	return asked !== undefined && asked > (policy.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS) ? asked : undefined;
}

/**
 * Exponential backoff with equal jitter: a random wait in [ceiling/2, ceiling], where the ceiling
 * doubles from baseDelayMs up to maxDelayMs. A Retry-After from the service is a minimum: the wait
 * is that plus up to 10% (so many waiting requests do not come back at the same instant), and never
 * shorter than the backoff (a Retry-After of 0 must not turn into a tight loop).
 */
export function retryDelayMs(
	attempt: number,
	outcome: AttemptOutcome,
	policy: RetryPolicy,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	const backoff = Math.round(ceiling / 2 + (random() * ceiling) / 2);
	const asked = parseRetryAfterMs(outcome.retryAfter);
	if (asked === undefined) return backoff;
	const serverDelay = Math.min(asked, policy.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS);
	return Math.max(backoff, Math.round(serverDelay * (1 + 0.1 * random())));
}

/** True while another attempt fits in the policy. */
export function hasAttemptsLeft(
	kind: RequestKind,
	attempt: number,
	outcome: AttemptOutcome,
	startedAt: number,
	policy: RetryPolicy,
	now = Date.now(),
): boolean {
	if (retryAfterBeyondPolicy(outcome, policy) !== undefined) return false;
	// Waiting for a free slot is bounded by time: other jobs of the same key must finish first.
	const submission = kind === 'submit' || kind === 'idempotentSubmit';
	const waitingForSlot = isConcurrencyLimit(outcome) || (submission && outcome.status === 429);
	if (waitingForSlot) return now - startedAt < policy.busyBudgetMs;
	return attempt < policy.maxReadAttempts;
}
