/**
 * The Higgsfield model-request API (the current API), as the package speaks it: every path,
 * header, query name, status and host in one place each. Points that the sources disagree on
 * are marked UNCERTAIN: change them here, nowhere else.
 * Contract: docs.higgsfield.ai (requests, webhooks, idempotency, errors) and the official SDKs.
 */

/** Default Base URL of the credential. UNCERTAIN: api.higgsfield.ai answers too (newer docs, SDK 0.2.6). */
export const DEFAULT_BASE_URL = 'https://platform.higgsfield.ai';

/*
 * status_url / cancel_url are followed only on *.higgsfield.ai or the Base URL's own host: that rule
 * is one function of the transport (apiRequestUrl, HIGGSFIELD_HOST_SUFFIX in transport/target.ts).
 */

/** POST /{model_id}: the model id is a path with slashes, sent as is (each segment URL-encoded). */
export function submitPath(modelId: string): string {
	return `/${modelId
		.split('/')
		.filter((segment) => segment !== '')
		.map(encodeURIComponent)
		.join('/')}`;
}

export const statusPath = (requestId: string): string => `/requests/${encodeURIComponent(requestId)}/status`;
export const cancelPath = (requestId: string): string => `/requests/${encodeURIComponent(requestId)}/cancel`;
export const deletePath = (requestId: string): string => `/requests/${encodeURIComponent(requestId)}`;
export const UPLOAD_URL_PATH = '/files/generate-upload-url';

/** Query parameter of the submit URL that carries the completion webhook (not a body field). */
export const WEBHOOK_QUERY = 'hf_webhook';

/** Makes a repeated submission return the original request instead of charging again. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** 1 to 255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** UNCERTAIN: how long the service remembers a key is not documented; assume at least 24 h. */
export const IDEMPOTENCY_KEY_MEMORY_HOURS = 24;

/** Shortens output retention (seconds, 3600 up to the account's retention). Part of the idempotency fingerprint. */
export const EXPIRES_AFTER_HEADER = 'Hf-Expires-After';

export type RequestStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'nsfw' | 'canceled';

/** A request in one of these is finished; any other status (including an unknown one) is not. */
export const TERMINAL_STATUSES: readonly RequestStatus[] = ['completed', 'failed', 'nsfw', 'canceled'];
/** Ended without outputs (refunded). */
export const UNSUCCESSFUL_STATUSES: readonly RequestStatus[] = ['failed', 'nsfw', 'canceled'];
/** Statuses the contract documents; anything else is reported as unknown (and not terminal). */
export const KNOWN_STATUSES: readonly RequestStatus[] = ['queued', 'in_progress', ...TERMINAL_STATUSES];

export function isTerminalStatus(status: unknown): boolean {
	return typeof status === 'string' && (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** The output fields of a status body: `images: [{url}]`, `video: {url}`, `audio: {url}`, `audios: [{url}]`. */
export const OUTPUT_FIELDS = ['images', 'video', 'audio', 'audios'] as const;

/** Error codes the service puts in its answers. */
export const MODEL_NOT_FOUND = 'model_not_found';
export const ACCOUNT_QUEUE_FULL = 'account_queue_full';
export const MODEL_BLOCKED = 'model_blocked';
export const NOT_ENOUGH_CREDITS = 'not_enough_credits';

/** Cancel answers 202 when canceled; 400 when the request already started ("can no longer be canceled"). */
export const CANCELED_STATUS_CODE = 202;
export const CANCEL_TOO_LATE_STATUS_CODE = 400;

/** Outputs are kept 7 days by default (1 h to 7 days per account). */
export const DEFAULT_RETENTION_DAYS = 7;
