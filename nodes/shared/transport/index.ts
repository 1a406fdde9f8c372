/**
 * The one place where the package talks HTTP: the Higgsfield API (authenticated through the
 * credential) and public URLs (presigned uploads, result downloads). Every request goes through
 * the retry policy and every failure becomes a NodeApiError without secrets.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { cancelSignalOf, cancelledError, pause } from '../cancellation';
import {
	detailText,
	httpStatusError,
	maybeCreatedError,
	networkError,
	notSentError,
	type FailedExchange,
} from './errors';
import {
	DEFAULT_RETRY_POLICY,
	hasAttemptsLeft,
	isAmbiguousSubmission,
	isDeletedOnRetry,
	isRetryable,
	mayHaveTakenEffect,
	retryDelayMs,
	type AttemptOutcome,
	type RequestKind,
	type RetryPolicy,
} from './retryPolicy';
import { scrubAnswer } from './scrub';
import { apiRequestUrl } from './target';

export { apiRequestUrl, HIGGSFIELD_HOST_SUFFIX } from './target';
export { DEFAULT_RETRY_POLICY, hasAttemptsLeft, isRetryable, retryDelayMs, type AttemptOutcome, type RequestKind, type RetryPolicy } from './retryPolicy';
export { nodeOperationError, safeError, type NodeErrorOptions } from './errors';
export { redactText, safeNode, scrubAnswer } from './scrub';

export type HiggsfieldContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions | IHookFunctions;

export const CREDENTIAL_NAME = 'higgsfieldApi';

/**
 * Inactivity timeouts (README, "Faults, timeouts and retries"): an attempt fails when no data moves on its
 * connection for this long, however long the whole transfer takes. An API call that times out is
 * retried if it is a read; a timed-out submission becomes the "may have been created" error.
 */
export const API_TIMEOUT_MS = 60_000;
/** Presigned uploads and result downloads: large files are fine, a stalled connection is not. */
export const TRANSFER_TIMEOUT_MS = 2 * 60_000;

interface HiggsfieldCredentials {
	baseUrl: string;
	secrets: string[];
}

const credentialsCache = new WeakMap<object, Promise<HiggsfieldCredentials>>();

async function loadCredentials(ctx: HiggsfieldContext): Promise<HiggsfieldCredentials> {
	let cached = credentialsCache.get(ctx);
	if (!cached) {
		cached = ctx.getCredentials(CREDENTIAL_NAME).then((data) => ({
			baseUrl: String(data.baseUrl || 'https://platform.higgsfield.ai').replace(/\/+$/, ''),
			secrets: [data.apiSecret, data.apiKey, data.webhookSecret, data.webhookSigningSecret].map((value) => String(value ?? '').trim()).filter(Boolean),
		}));
		credentialsCache.set(ctx, cached);
	}
	return await cached;
}

/** The credential's secrets, for code that must scrub text it did not build (e.g. outputs). */
export async function credentialSecrets(ctx: HiggsfieldContext): Promise<string[]> {
	return (await loadCredentials(ctx)).secrets;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** path below the base URL, e.g. /v1/job-sets/{id}; used when `url` is absent or not followed */
	path: string;
	/**
	 * An absolute URL the API returned (a `status_url`, a `cancel_url`): followed only when
	 * `apiRequestUrl` allows it (a Higgsfield host or the Base URL's host), else `path` is used.
	 */
	url?: string;
	/** extra request headers, e.g. `Idempotency-Key` (the credential adds the authentication) */
	headers?: Record<string, string>;
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
	/**
	 * reads are retried freely; v1 submissions only when surely not accepted; idempotent submissions
	 * (with an `Idempotency-Key` header) like reads; a retried delete that finds nothing succeeded.
	 * Default by method: POST submit, DELETE delete, else read.
	 */
	kind?: RequestKind;
	/** more texts to keep out of errors, e.g. a webhook secret sent in the body */
	secrets?: string[];
	policy?: RetryPolicy;
	/** stops retry waits early; defaults to the execution's cancel signal */
	signal?: AbortSignal;
}

export interface PublicRequest {
	method: IHttpRequestMethods;
	url: string;
	headers?: Record<string, string>;
	body?: Buffer | IDataObject;
	encoding?: IHttpRequestOptions['encoding'];
	itemIndex?: number;
	kind?: RequestKind;
	secrets?: string[];
	policy?: RetryPolicy;
	/** aborts the request and its retry waits; defaults to the execution's cancel signal */
	signal?: AbortSignal;
}

type Attempt =
	| { ok: true; response: IN8nHttpFullResponse }
	| { ok: false; exchange: FailedExchange; notSent?: string };

function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	return value === undefined || value === null ? undefined : String(value);
}

interface ErrorShape {
	code?: unknown;
	name?: unknown;
	message?: unknown;
	isAxiosError?: unknown;
	cause?: ErrorShape;
}

/** An error of the HTTP client itself (it reached the network layer), not of n8n around it. */
function isClientError(error: ErrorShape): boolean {
	return error.isAxiosError === true || (typeof error.code === 'string' && error.code !== '');
}

/**
 * What a thrown error says about the exchange. n8n's httpRequestWithAuthentication wraps the
 * client's error in a NodeApiError and keeps it as `cause`: look there. An error that never came
 * from the client (n8n's SSRF protection, the credential could not be applied) means nothing
 * was sent.
 */
function classifyThrown(thrown: unknown): { networkCode: string } | { notSent: string } {
	const outer = (thrown ?? {}) as ErrorShape;
	const error = !isClientError(outer) && outer.cause && typeof outer.cause === 'object' ? outer.cause : outer;
	const code = error.cause?.code ?? error.code;
	if (typeof code === 'string' && code !== '') return { networkCode: code };
	if (error.name === 'AbortError' || error.name === 'CanceledError') return { networkCode: 'ERR_CANCELED' };
	if (error.isAxiosError === true) return { networkCode: 'EUNKNOWN' };
	return { notSent: typeof error.message === 'string' && error.message !== '' ? error.message : 'the request was refused before it was sent' };
}

/** Origin and path of a redirect target: enough to act on, without any token in its query. */
function redirectTarget(location: string | undefined, base: string): string | undefined {
	if (!location) return undefined;
	try {
		const url = new URL(location, base);
		return `${url.origin}${url.pathname}`;
	} catch {
		return undefined;
	}
}

async function attempt(
	send: () => Promise<IN8nHttpFullResponse>,
	method: string,
	path: string,
	base: string,
): Promise<Attempt> {
	try {
		const response = await send();
		if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, response };
		// an error answer streamed for a download: free its connection now, not at the timeout
		(response.body as { destroy?: () => void } | null)?.destroy?.();
		const headers = response.headers as IDataObject;
		return {
			ok: false,
			exchange: {
				method,
				path,
				status: response.statusCode,
				body: response.body,
				detail: detailText(response.body),
				retryAfter: headerValue(headers, 'retry-after'),
				correlationId: headerValue(headers, 'x-correlation-id') ?? headerValue(headers, 'x-request-id'),
				location: redirectTarget(headerValue(headers, 'location'), base),
			},
		};
	} catch (error) {
		const classified = classifyThrown(error);
		if ('notSent' in classified) return { ok: false, exchange: { method, path }, notSent: classified.notSent };
		return { ok: false, exchange: { method, path, networkCode: classified.networkCode } };
	}
}

/** What the transport knows about the failed exchange behind an error it threw (e.g. for upload retries). */
const failures = new WeakMap<object, FailedExchange>();

export function failureOf(error: unknown): AttemptOutcome | undefined {
	return error !== null && typeof error === 'object' ? failures.get(error) : undefined;
}

function remember<E extends Error>(error: E, exchange: FailedExchange): E {
	failures.set(error, exchange);
	return error;
}

interface RetryRequest {
	method: string;
	path: string;
	/** base for resolving a redirect's Location */
	base: string;
	kind: RequestKind;
	itemIndex?: number;
	policy: RetryPolicy;
	signal?: AbortSignal;
	/** a presigned upload or a result download, not an API call */
	transfer?: boolean;
	timeoutMs: number;
}

/** Per signal: what to do when it aborts. One listener per signal, however many requests wait on it. */
const abortWaiters = new WeakMap<AbortSignal, Set<() => void>>();

function whenAborted(signal: AbortSignal, callback: () => void): () => void {
	let waiting = abortWaiters.get(signal);
	if (!waiting) {
		const created = new Set<() => void>();
		abortWaiters.set(signal, created);
		signal.addEventListener(
			'abort',
			() => {
				abortWaiters.delete(signal);
				for (const waiter of created) waiter();
			},
			{ once: true },
		);
		waiting = created;
	}
	waiting.add(callback);
	const registered = waiting;
	return () => registered.delete(callback);
}

/**
 * The answer of a request, or an abort as soon as a narrower signal (one item's, one watch's)
 * fires. n8n gives its HTTP client the execution's cancel signal whatever the request asked for,
 * so that one needs nothing here; after a narrower abort the connection is left to the execution's
 * signal and the timeout. Many requests on one signal share one listener (no listener pile-up).
 */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, executionSignal: AbortSignal | undefined): Promise<T> {
	if (!signal || signal === executionSignal) return await work;
	let stopWaiting: (() => void) | undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		const abort = () => reject(Object.assign(new Error('The request was aborted'), { name: 'AbortError', code: 'ERR_CANCELED' }));
		if (signal.aborted) abort();
		else stopWaiting = whenAborted(signal, abort);
	});
	try {
		return await Promise.race([work, aborted]);
	} finally {
		stopWaiting?.();
	}
}

/** Sends once, then again as the retry policy allows; returns the successful response. */
async function withRetries(
	ctx: HiggsfieldContext,
	send: () => Promise<IN8nHttpFullResponse>,
	request: RetryRequest,
	secrets: string[],
): Promise<IN8nHttpFullResponse> {
	const executionSignal = cancelSignalOf(ctx);
	const signal = request.signal ?? executionSignal;
	const startedAt = Date.now();
	let earlierMayHaveTakenEffect = false;
	for (let attemptNumber = 1; ; attemptNumber++) {
		if (signal?.aborted) throw cancelledError(ctx.getNode(), request.itemIndex);
		const result = await attempt(async () => await untilAborted(send(), signal, executionSignal), request.method, request.path, request.base);
		if (result.ok) return result.response;
		if (isDeletedOnRetry(request.kind, result.exchange, earlierMayHaveTakenEffect)) {
			// an earlier attempt deleted it and its answer was lost: deleted, as asked
			return { statusCode: 404, headers: {}, body: {} } as IN8nHttpFullResponse;
		}
		if (result.notSent === undefined && mayHaveTakenEffect(result.exchange)) earlierMayHaveTakenEffect = true;
		const exchange: FailedExchange = {
			...result.exchange,
			attempts: attemptNumber,
			elapsedMs: Date.now() - startedAt,
			policy: request.policy,
			kind: request.kind,
			transfer: request.transfer,
			timeoutMs: request.timeoutMs,
		};
		if (exchange.networkCode === 'ERR_CANCELED' || signal?.aborted) {
			throw cancelledError(ctx.getNode(), request.itemIndex);
		}
		if (result.notSent !== undefined) {
			throw remember(notSentError(ctx.getNode(), exchange, result.notSent, request.itemIndex, secrets), exchange);
		}
		const retry =
			isRetryable(request.kind, exchange) &&
			hasAttemptsLeft(request.kind, attemptNumber, exchange, startedAt, request.policy);
		if (!retry) {
			if (isAmbiguousSubmission(request.kind, exchange)) {
				throw remember(maybeCreatedError(ctx.getNode(), exchange, request.itemIndex, secrets), exchange);
			}
			throw remember(
				exchange.networkCode !== undefined
					? networkError(ctx.getNode(), exchange, request.itemIndex, secrets)
					: httpStatusError(ctx.getNode(), exchange, request.itemIndex, secrets),
				exchange,
			);
		}
		if (!(await pause(retryDelayMs(attemptNumber, exchange, request.policy), signal))) {
			throw cancelledError(ctx.getNode(), request.itemIndex);
		}
	}
}

/**
 * The request's kind, by method when not given. An idempotent submission without its key would be
 * a plain submission, so it is treated as one (never retried once it may have been accepted).
 */
function requestKind(request: ApiRequest): RequestKind {
	const kind = request.kind ?? (request.method === 'POST' ? 'submit' : request.method === 'DELETE' ? 'delete' : 'read');
	if (kind !== 'idempotentSubmit') return kind;
	const hasKey = Object.entries(request.headers ?? {}).some(([name, value]) => name.toLowerCase() === 'idempotency-key' && String(value).trim() !== '');
	return hasKey ? kind : 'submit';
}

/** A JSON request to the Higgsfield API with the credential's authentication. */
export async function higgsfieldApiRequest<T = IDataObject>(
	ctx: HiggsfieldContext,
	request: ApiRequest,
): Promise<T> {
	const { baseUrl, secrets } = await loadCredentials(ctx);
	const allSecrets = [...secrets, ...(request.secrets ?? [])];
	const kind = requestKind(request);
	const signal = request.signal ?? cancelSignalOf(ctx);
	const target = apiRequestUrl(baseUrl, request.path, request.url);
	const onBase = request.url === undefined || target === apiRequestUrl(baseUrl, request.path);
	const path = onBase ? request.path : new URL(target).pathname;
	const options: IHttpRequestOptions = {
		method: request.method,
		...(onBase ? { baseURL: baseUrl, url: request.path } : { url: target }),
		json: true,
		headers: { Accept: 'application/json', ...request.headers },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: API_TIMEOUT_MS,
		// n8n forwards custom auth headers (hf-secret) to wherever a redirect points: never follow
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	// Stop aborts the request in flight, not only the waits between attempts
	if (signal) options.abortSignal = signal;
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;
	const response = await withRetries(
		ctx,
		async () =>
			(await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIAL_NAME,
				{ ...options },
			)) as IN8nHttpFullResponse,
		{
			method: request.method,
			path,
			base: baseUrl,
			timeoutMs: API_TIMEOUT_MS,
			kind,
			itemIndex: request.itemIndex,
			policy: request.policy ?? DEFAULT_RETRY_POLICY,
			signal,
		},
		allSecrets,
	);
	// a service that echoes a secret (e.g. the webhook of a job set) must not put it in the output
	return scrubAnswer(response.body, allSecrets) as T;
}

/** A request to a public or presigned URL: no Higgsfield authentication is sent. */
export async function publicUrlRequest(
	ctx: HiggsfieldContext,
	request: PublicRequest,
): Promise<IN8nHttpFullResponse> {
	const secrets = [...(await credentialSecrets(ctx).catch(() => [])), ...(request.secrets ?? [])];
	const path = new URL(request.url).pathname;
	const signal = request.signal ?? cancelSignalOf(ctx);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		headers: request.headers,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: TRANSFER_TIMEOUT_MS,
	};
	if (signal) options.abortSignal = signal;
	if (request.body !== undefined) options.body = request.body;
	if (request.encoding !== undefined) options.encoding = request.encoding;
	return await withRetries(
		ctx,
		async () => (await ctx.helpers.httpRequest({ ...options })) as IN8nHttpFullResponse,
		{
			method: request.method,
			path,
			base: request.url,
			transfer: true,
			timeoutMs: TRANSFER_TIMEOUT_MS,
			kind: request.kind ?? 'read',
			itemIndex: request.itemIndex,
			policy: request.policy ?? DEFAULT_RETRY_POLICY,
			signal,
		},
		secrets,
	);
}
