/**
 * Turns what went wrong on the wire into NodeApiError, in the service's own words, with the
 * correlation id and item index, and without any credential secret.
 *
 * Errors are built from plain objects, never from the HTTP client's error: that one carries the
 * request headers (the API secret) in its config, and n8n keeps an error's cause.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { isConcurrencyLimit, type AttemptOutcome } from './retryPolicy';

export interface FailedExchange extends AttemptOutcome {
	method: string;
	path: string;
	body?: unknown;
	correlationId?: string;
}

interface FastApiFieldError {
	loc?: unknown[];
	msg?: string;
}

/** The `detail` of a FastAPI error body as one line: for 422, each field path with its message. */
export function detailText(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() === '' ? undefined : body.slice(0, 500);
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

function headline(exchange: FailedExchange): { message: string; hint: string } {
	const status = exchange.status ?? 0;
	const detail = exchange.detail ? `: ${exchange.detail}` : '';
	if (status === 401)
		return {
			message: `Higgsfield did not accept the API key (401)${detail}`,
			hint: 'Check the API Key, API Secret and Header Scheme of the Higgsfield credential.',
		};
	if (status === 403)
		return {
			message: `The Higgsfield account is out of credits (403)${detail}`,
			hint: 'Top up credits in the Higgsfield dashboard, then run the workflow again. Nothing was charged for this request.',
		};
	if (isConcurrencyLimit(exchange))
		return {
			message: `Higgsfield's limit of concurrent generations was reached (400)${detail}`,
			hint: 'Lower "Max Concurrent Jobs", or wait for your other generations to finish. Nothing was created by this request.',
		};
	if (status === 422)
		return {
			message: `Higgsfield rejected the request's fields (422)${detail}`,
			hint: 'Each field path above names the parameter the service did not accept.',
		};
	if (status === 404)
		return {
			message: `Higgsfield found nothing at ${exchange.path} (404)${detail}`,
			hint: 'Check the id: job sets and characters are only visible to the account that created them.',
		};
	if (status === 429)
		return {
			message: `Higgsfield is rate limiting requests (429)${detail}`,
			hint: 'Wait a little, or lower "Max Concurrent Jobs".',
		};
	if (status >= 500)
		return {
			message: `Higgsfield had a server error (${status})${detail}`,
			hint: 'The service failed, not the request. Try again later.',
		};
	return {
		message: `Higgsfield rejected the request (${status})${detail}`,
		hint: `The request was ${exchange.method} ${exchange.path}.`,
	};
}

/** Removes every occurrence of the given secrets from a text. */
export function redact(text: string, secrets: readonly string[]): string {
	let clean = text;
	for (const secret of secrets) {
		if (secret.length >= 4) clean = clean.split(secret).join('[redacted]');
	}
	return clean;
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
	const cleanMessage = redact(withItem(message, itemIndex), secrets);
	const cleanDescription = redact(description, secrets);
	const error = new NodeApiError(node, { message: cleanMessage, httpCode: httpCode ?? null } as JsonObject, {
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

export function httpStatusError(
	node: INode,
	exchange: FailedExchange,
	itemIndex: number | undefined,
	secrets: readonly string[],
): NodeApiError {
	const { message, hint } = headline(exchange);
	const correlation = exchange.correlationId ? ` Correlation ID: ${exchange.correlationId}.` : '';
	return buildError(node, message, `${hint}${correlation}`, String(exchange.status), itemIndex, secrets);
}

export function networkError(
	node: INode,
	exchange: FailedExchange,
	itemIndex: number | undefined,
	secrets: readonly string[],
): NodeApiError {
	const code = exchange.networkCode ?? 'unknown';
	return buildError(
		node,
		`Could not reach Higgsfield for ${exchange.method} ${exchange.path} (${code.toLowerCase()})`,
		'The request got no answer after several attempts. Check the Base URL of the credential and your network, then try again.',
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
	const code = (exchange.networkCode ?? 'unknown').toLowerCase();
	return buildError(
		node,
		`The job may have been created: ${exchange.method} ${exchange.path} was sent but the connection broke before Higgsfield answered (${code})`,
		'It was not sent again, so you are not charged twice. Before running this item again, check your Higgsfield dashboard (or the job sets of your recent runs) for a job created at this time.',
		undefined,
		itemIndex,
		secrets,
	);
}
