/**
 * Turns what went wrong on the wire into NodeApiError, in the service's own words, with the
 * correlation id and item index, and without any credential or webhook secret. Also the one place
 * that makes any node error safe to store (`nodeOperationError`, `safeError`): what to mask is
 * decided in scrub.ts.
 *
 * Errors are built from plain objects, never from the HTTP client's error: that one carries the
 * request headers (the API secret) and body (a webhook secret) in its config, and n8n keeps an
 * error's cause. The node attached to an error is a copy whose secret parameters are masked,
 * because n8n serializes `error.node` (with its parameters) into the execution data.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isConcurrencyLimit, retryAfterBeyondPolicy, type AttemptOutcome, type RequestKind, type RetryPolicy } from './retryPolicy';
import { redactText, safeNode } from './scrub';

export interface FailedExchange extends AttemptOutcome {
	method: string;
	path: string;
	body?: unknown;
	correlationId?: string;
	/** where a 3xx answer pointed (origin and path only) */
	location?: string;
	/** attempts made, including the failed last one */
	attempts?: number;
	elapsedMs?: number;
	/** the policy the attempts followed, to tell a Retry-After that was too long to wait */
	policy?: RetryPolicy;
	/** a presigned upload or a result download (storage, not the Higgsfield API) */
	transfer?: boolean;
	/** the inactivity timeout of each attempt */
	timeoutMs?: number;
	/** what the request was (a v1 submission's 5xx may have created a job) */
	kind?: RequestKind;
}

/** Codes of an attempt that ran out of time (n8n's client reports its timeout as ECONNABORTED). */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

interface FastApiFieldError {
	loc?: unknown[];
	msg?: string;
}

/** The `detail` of a FastAPI error body as one line: for 422, each field path with its message. */
export function detailText(body: unknown): string | undefined {
	if (Buffer.isBuffer(body)) return detailText(body.toString('utf8'));
	if (typeof body === 'string') {
		// storage (S3) answers in XML: its Code and Message say it all
		const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
		if (code !== undefined) return [code, /<Message>([^<]*)<\/Message>/.exec(body)?.[1]].filter(Boolean).join(': ');
		return body.trim() === '' ? undefined : body.slice(0, 500);
	}
	if (body === null || typeof body !== 'object') return undefined;
	const detail = (body as { detail?: unknown; message?: unknown }).detail ?? (body as { message?: unknown }).message;
	if (typeof detail === 'string') return detail;
	if (Array.isArray(detail)) {
		return detail
			.map((entry: FastApiFieldError) => {
				const path = (entry.loc ?? []).filter((part) => part !== 'body').join('.');
				return path ? `${path}: ${entry.msg ?? 'invalid'}` : (entry.msg ?? 'invalid');
			})
			.join('; ');
	}
	if (detail !== undefined) return JSON.stringify(detail);
	return undefined;
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

/** A presigned upload or a result download: storage answers, not the API's, so none of its meanings. */
function transferHeadline(exchange: FailedExchange): { message: string; hint: string } {
	const status = exchange.status ?? 0;
	const detail = exchange.detail ? `: ${exchange.detail}` : '';
	if (exchange.method === 'PUT')
		return {
			message: `Uploading the file to Higgsfield's storage failed (${status})${detail}`,
			hint:
				status >= 500 || status === 429
					? 'The storage service failed, not the file. Try again later.'
					: 'The upload URL refused the file (its signed headers did not match, or it expired). Run the item again; if it keeps failing, check the file and its MIME type.',
		};
	return {
		message: `Downloading ${exchange.path} failed (${status})${detail}`,
		hint:
			status === 403 || status === 404 || status === 410
				? 'Higgsfield keeps result files for a limited time (7 days by default; a request says until when in expires_at). Get the job set again (Get Job Set) or the request (Get Status) for current URLs, or choose Download Results: None.'
				: 'The file server failed, not the request. Try again later.',
	};
}

/** A 403 about the balance (the contract's `not_enough_credits`; v1 says so in words). */
const OUT_OF_CREDITS = /credit/i;

function bodyCode(body: unknown): string {
	const code = body !== null && typeof body === 'object' ? (body as { code?: unknown }).code : undefined;
	return typeof code === 'string' ? code : '';
}

/** The field that bounds concurrency on the node that sent the request. */
function concurrencyField(exchange: FailedExchange): string {
	return exchange.kind === 'idempotentSubmit' ? 'Max Concurrent Requests' : 'Max Concurrent Jobs';
}

/** How an idempotent submission whose fate is unknown is sent again safely. */
const SAME_KEY =
	"It carries an Idempotency-Key, so sending it again with the same key returns the original request without charging twice: use n8n's Retry On Fail, or set the Idempotency Key field (a new execution otherwise makes a new key).";

/** A 404 for a model id the service does not know (the contract's `model_not_found`). */
const MODEL_NOT_FOUND = /model_not_found|model not found|unknown model/i;

/** What a v1 submission creates, and how a user checks whether it exists before sending it again. */
function createdThing(exchange: FailedExchange): { noun: string; howToCheck: string } {
	if (exchange.path.startsWith('/v1/custom-references'))
		return {
			noun: 'character',
			howToCheck:
				'Before running this item again, check whether the character exists: Higgsfield Characters > Get Many, or the Higgsfield dashboard (a character created at this time).',
		};
	return {
		noun: 'job',
		howToCheck:
			'Before running this item again, check whether the job exists: in the Higgsfield dashboard (a generation started at this time), with Get Job Set on the id if a later run or log shows one, or in your Higgsfield Trigger workflow if this node sent a webhook (a delivery arrives when the job ends).',
	};
}

function headline(exchange: FailedExchange): { message: string; hint: string } {
	if (exchange.transfer) return transferHeadline(exchange);
	const status = exchange.status ?? 0;
	const detail = exchange.detail ? `: ${exchange.detail}` : '';
	if (status >= 300 && status < 400)
		return {
			message: `Higgsfield answered ${exchange.method} ${exchange.path} with a redirect (${status})${exchange.location ? ` to ${exchange.location}` : ''}`,
			hint: 'Redirects are not followed, so the API key is never sent to another address. Set the Base URL of the credential to the address the API answers on (e.g. https://platform.higgsfield.ai).',
		};
	if (status === 401)
		return {
			message: `Higgsfield did not accept the API key (401)${detail}`,
			hint: 'Check the API Key, API Secret and Header Scheme of the Higgsfield credential.',
		};
	if (status === 403 && OUT_OF_CREDITS.test(`${exchange.detail ?? ''} ${bodyCode(exchange.body)}`))
		return {
			message: `The Higgsfield account is out of credits (403)${detail}`,
			hint: 'Top up credits in the Higgsfield dashboard, then run the workflow again. Nothing was charged for this request.',
		};
	if (status === 403)
		return {
			message: `Higgsfield refused the request (403)${detail}`,
			hint: `The API key is not allowed to do this (${exchange.method} ${exchange.path}): check the key's permissions and the model or resource in the Higgsfield dashboard.`,
		};
	if (isConcurrencyLimit(exchange))
		return {
			message: `Higgsfield's limit of concurrent generations was reached (400)${detail}`,
			hint: `Lower "${concurrencyField(exchange)}", or wait for your other generations to finish. Nothing was created by this request.`,
		};
	if (status === 423)
		return {
			message: `Higgsfield has temporarily blocked this model (423)${detail}`,
			hint: 'Nothing was created. Run the item again later, or choose another model.',
		};
	if (status === 422)
		return {
			message: `Higgsfield rejected the request's fields (422)${detail}`,
			hint: 'Each field path above names the parameter the service did not accept.',
		};
	if (status === 404 && MODEL_NOT_FOUND.test(`${exchange.detail ?? ''} ${bodyCode(exchange.body)}`))
		return {
			message: `Higgsfield does not know the model ${exchange.path.replace(/^\//, '')} (404)${detail}`,
			hint: 'The model id is sent exactly as given: check its spelling (e.g. higgsfield-ai/soul/standard). Some models answer on only one host: try the Base URL https://platform.higgsfield.ai or https://api.higgsfield.ai.',
		};
	if (status === 404)
		return {
			message: `Higgsfield found nothing at ${exchange.path} (404)${detail}`,
			hint: 'Check the id: job sets, requests and characters are only visible to the account that created them.',
		};
	if (status === 429) {
		const tooLong = exchange.policy ? retryAfterBeyondPolicy(exchange, exchange.policy) : undefined;
		return {
			message: `Higgsfield is rate limiting requests (429)${detail}`,
			hint:
				tooLong !== undefined
					? `Higgsfield asked to wait ${seconds(tooLong)} before trying again (Retry-After), longer than this node waits. Run the workflow again later, or lower "${concurrencyField(exchange)}".`
					: `Wait a little, or lower "${concurrencyField(exchange)}".`,
		};
	}
	if (status >= 500 && exchange.kind === 'submit') {
		const { noun, howToCheck } = createdThing(exchange);
		return {
			message: `The ${noun} may have been created: ${exchange.method} ${exchange.path} was answered with a server error (${status})${detail}`,
			hint: `It was not sent again, so you are not charged twice. ${howToCheck}`,
		};
	}
	if (status >= 500 && exchange.kind === 'idempotentSubmit')
		return {
			message: `Higgsfield had a server error (${status}) for ${exchange.method} ${exchange.path}${detail}`,
			hint: `It may have reached Higgsfield. ${SAME_KEY}`,
		};
	if (status >= 500 && exchange.kind === 'delete')
		return {
			message: `Higgsfield had a server error (${status}) deleting ${exchange.path}${detail}`,
			hint: 'It may or may not have been deleted. Run the item again: if it is already gone, that counts as deleted.',
		};
	if (status >= 500)
		return {
			message: `Higgsfield had a server error (${status})${detail}`,
			hint: `The service failed, not the request. Try again later. The request was ${exchange.method} ${exchange.path}.`,
		};
	return {
		message: `Higgsfield rejected the request (${status})${detail}`,
		hint: `The request was ${exchange.method} ${exchange.path}.`,
	};
}

function withItem(message: string, itemIndex: number | undefined): string {
	return itemIndex === undefined ? message : `${message} [item ${itemIndex}]`;
}

function buildError(
	node: INode,
	message: string,
	description: string,
	httpCode: string | undefined,
	itemIndex: number | undefined,
	secrets: readonly string[],
): NodeApiError {
	const cleanMessage = redactText(withItem(message, itemIndex), secrets);
	const cleanDescription = redactText(description, secrets);
	const error = new NodeApiError(safeNode(node, secrets), { message: cleanMessage, httpCode: httpCode ?? null } as JsonObject, {
		message: cleanMessage,
		description: cleanDescription,
		httpCode,
		itemIndex,
	});
	// NodeApiError swaps in a generic text when a message mentions a known error code: keep ours
	error.message = cleanMessage;
	error.description = cleanDescription;
	return error;
}

/** "Tried 8 times over 23.4 s." for a request that was retried before it failed. */
function triesNote(exchange: FailedExchange): string {
	if (!exchange.attempts || exchange.attempts < 2) return '';
	const over = exchange.elapsedMs === undefined ? '' : ` over ${seconds(exchange.elapsedMs)}`;
	return ` Tried ${exchange.attempts} times${over}.`;
}

export function httpStatusError(
	node: INode,
	exchange: FailedExchange,
	itemIndex: number | undefined,
	secrets: readonly string[],
): NodeApiError {
	const { message, hint } = headline(exchange);
	// the concurrency cap is waited out by time, and its hint already says what to do
	const tries = isConcurrencyLimit(exchange) ? '' : triesNote(exchange);
	const correlation = exchange.correlationId ? ` Correlation ID: ${exchange.correlationId}.` : '';
	return buildError(node, message, `${hint}${tries}${correlation}`, String(exchange.status), itemIndex, secrets);
}

export function networkError(
	node: INode,
	exchange: FailedExchange,
	itemIndex: number | undefined,
	secrets: readonly string[],
): NodeApiError {
	const code = exchange.networkCode ?? 'unknown';
	const server = exchange.transfer ? 'the file server' : 'Higgsfield';
	const fate =
		exchange.kind === 'idempotentSubmit'
			? ` It may have reached Higgsfield. ${SAME_KEY}`
			: exchange.kind === 'delete'
				? ' It may or may not have been deleted: run the item again (if it is already gone, that counts as deleted).'
				: ' Check the Base URL of the credential and your network, then try again.';
	return buildError(
		node,
		`Could not reach ${server} for ${exchange.method} ${exchange.path} (${code.toLowerCase()})`,
		`The request got no answer.${triesNote(exchange)}${fate}`,
		undefined,
		itemIndex,
		secrets,
	);
}

/** A submission was sent and no answer came back: never retried, because it may have been charged. */
export function maybeCreatedError(
	node: INode,
	exchange: FailedExchange,
	itemIndex: number | undefined,
	secrets: readonly string[],
): NodeApiError {
	const code = exchange.networkCode ?? 'unknown';
	const what = TIMEOUT_CODES.has(code)
		? `Higgsfield did not answer ${exchange.timeoutMs ? `within ${seconds(exchange.timeoutMs)}` : 'in time'}`
		: 'the connection broke before Higgsfield answered';
	const { noun, howToCheck } = createdThing(exchange);
	return buildError(
		node,
		`The ${noun} may have been created: ${exchange.method} ${exchange.path} was sent but ${what} (${code.toLowerCase()})`,
		`It was not sent again, so you are not charged twice. ${howToCheck}`,
		undefined,
		itemIndex,
		secrets,
	);
}

/**
 * The request never left n8n: something on this side refused it (for example n8n's SSRF
 * protection, or the credential could not be applied). Not retried, and nothing was created.
 */
export function notSentError(
	node: INode,
	exchange: FailedExchange,
	reason: string,
	itemIndex: number | undefined,
	secrets: readonly string[],
): NodeOperationError {
	const message = redactText(withItem(`n8n did not send ${exchange.method} ${exchange.path} to Higgsfield: ${reason}`, itemIndex), secrets);
	const error = new NodeOperationError(safeNode(node, secrets), message, {
		itemIndex,
		description: 'Nothing reached Higgsfield, so nothing was created or charged. Check the Base URL of the credential and the network settings of this n8n instance.',
	});
	error.message = message;
	return error;
}

/** Options of a node error (n8n's NodeOperationError options). */
export interface NodeErrorOptions {
	itemIndex?: number;
	description?: string;
}

/**
 * The one way the package makes a NodeOperationError: the node it carries has its secret
 * parameters masked (n8n stores `error.node`, parameters included, in the execution data).
 */
export function nodeOperationError(
	node: INode,
	message: string | Error,
	options: NodeErrorOptions = {},
	secrets: readonly string[] = [],
): NodeOperationError {
	const text = typeof message === 'string' ? redactText(message, secrets) : message;
	const description = options.description === undefined ? undefined : redactText(options.description, secrets);
	return new NodeOperationError(safeNode(node, secrets), text, { ...options, ...(description === undefined ? {} : { description }) });
}

interface WithNode {
	node?: INode;
	cause?: unknown;
}

function isNode(value: unknown): value is INode {
	return value !== null && typeof value === 'object' && typeof (value as INode).name === 'string' && 'parameters' in value;
}

/**
 * An error made safe to leave the node, whoever built it: the node it (or its cause) carries gets
 * its secret parameters masked. Changes the error in place and returns it.
 */
export function safeError<E>(error: E, secrets: readonly string[] = []): E {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const withNode = current as WithNode;
		if (isNode(withNode.node)) withNode.node = safeNode(withNode.node, secrets);
		current = withNode.cause;
	}
	return error;
}
