/**
 * When a failed request may be sent again, and after how long. Pure, so it is tested alone.
 *
 * Reads (status, lists, downloads) are safe to repeat. A generation submission is charged when
 * the service accepts it and takes no idempotency key, so it is repeated only when the service
 * certainly did not accept it: the connection was refused before anything was sent, the
 * concurrency-cap 400, or a 429.
 */

export type RequestKind = 'read' | 'submit';

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
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxReadAttempts: 6,
	baseDelayMs: 500,
	maxDelayMs: 8_000,
	busyBudgetMs: 30 * 60_000,
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
	'ERR_BAD_RESPONSE',
	'UND_ERR_SOCKET',
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
	if (kind === 'submit') return wasCertainlyNotAccepted(outcome);
	if (outcome.networkCode !== undefined) return TRANSIENT_NETWORK_CODES.has(outcome.networkCode);
	const status = outcome.status ?? 0;
	return status === 429 || status >= 500;
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter, or the server's Retry-After when it gave one. */
export function retryDelayMs(
	attempt: number,
	outcome: AttemptOutcome,
	policy: RetryPolicy,
	random: () => number = Math.random,
): number {
	const serverDelay = parseRetryAfterMs(outcome.retryAfter);
	if (serverDelay !== undefined) return Math.min(serverDelay, policy.maxDelayMs * 4);
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
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
	// Waiting for a free slot is bounded by time: other jobs of the same key must finish first.
	const waitingForSlot = isConcurrencyLimit(outcome) || (kind === 'submit' && outcome.status === 429);
	if (waitingForSlot) return now - startedAt < policy.busyBudgetMs;
	return attempt < policy.maxReadAttempts;
}
