// @ts-check
'use strict';
/** Sandbox options: defaults and merging of partial updates (also from JSON, where Infinity is null). */

/**
 * @typedef {{rate?: number, kinds?: string[], slowMs?: number, retryAfter?: number, includeFiles?: boolean}} FaultRates
 * @typedef {{
 *   port: number, apiKey: string, apiSecret: string, jobSeconds: number, characterSeconds: number,
 *   concurrency: number, soul1080pConcurrency: number|null, credits: number, webhookDuplicates: number,
 *   webhookTimeoutMs: number, seed: number, faults: {get: FaultRates|null, post: FaultRates|null},
 *   largeResultBytes: number, outcome: string, uploadUrlSeconds: number, publicUrl: string|null,
 *   requestLimitMode: 'queue'|'reject', requestQueueSize: number|null, requestQueuedSeconds: number,
 *   idempotencyTtlSeconds: number, retentionSeconds: number, blockedModels: string[],
 *   extraModels: import('./request-models').ModelSpec[], webhookSigningSecret: string|string[]|null,
 *   webhookRetries: number, webhookRetryDelayMs: number, webhookOnCanceled: boolean, webhookTimestampOffsetSeconds: number,
 * }} SandboxOptions
 * @typedef {Partial<Omit<SandboxOptions, 'faults'>> & {faults?: {get?: FaultRates|null, post?: FaultRates|null}|null}} SandboxPatch
 *   a partial update (constructor, configure, POST /__sandbox/configure)
 */

/** @returns {SandboxOptions} */
function defaults() {
	return {
		port: 0,
		apiKey: 'hf-sandbox-key',
		apiSecret: 'hf-sandbox-secret',
		jobSeconds: 2,
		characterSeconds: 3,
		concurrency: 4,
		soul1080pConcurrency: null,
		credits: Infinity,
		webhookDuplicates: 0,
		webhookTimeoutMs: 5000,
		seed: 1,
		faults: { get: null, post: null },
		largeResultBytes: 0,
		outcome: 'completed',
		uploadUrlSeconds: 3600,
		publicUrl: null,
		// request API (POST /{model_id} ...)
		requestLimitMode: 'queue',
		requestQueueSize: null,
		requestQueuedSeconds: 0,
		idempotencyTtlSeconds: 86400,
		retentionSeconds: 7 * 86400,
		blockedModels: [],
		extraModels: [],
		// webhooks of both APIs
		webhookSigningSecret: null,
		webhookRetries: 2,
		webhookRetryDelayMs: 1000,
		webhookOnCanceled: false,
		webhookTimestampOffsetSeconds: 0,
	};
}

const NUMERIC = [
	'port', 'jobSeconds', 'characterSeconds', 'concurrency', 'webhookDuplicates', 'webhookTimeoutMs', 'seed', 'largeResultBytes', 'uploadUrlSeconds',
	'requestQueuedSeconds', 'idempotencyTtlSeconds', 'retentionSeconds', 'webhookRetries', 'webhookRetryDelayMs', 'webhookTimestampOffsetSeconds',
];

/**
 * Apply a partial update onto `target` (mutates and returns it). `faults.get`/`faults.post`
 * are replaced one by one; `credits: null` or "Infinity" means unlimited.
 * @param {SandboxOptions} target
 * @param {SandboxPatch & Record<string, any>} patch
 */
function mergeOptions(target, patch) {
	if (!patch || typeof patch !== 'object') return target;
	for (const [k, v] of Object.entries(patch)) {
		if (v === undefined) continue;
		if (k === 'faults') {
			if (v === null) target.faults = { get: null, post: null };
			else {
				if ('get' in v) target.faults.get = v.get || null;
				if ('post' in v) target.faults.post = v.post || null;
			}
		} else if (k === 'credits') {
			target.credits = v === null || v === 'Infinity' || v === 'infinity' ? Infinity : Number(v);
		} else if (k === 'soul1080pConcurrency' || k === 'requestQueueSize') {
			/** @type {any} */ (target)[k] = v === null ? null : Number(v);
		} else if (NUMERIC.includes(k)) {
			/** @type {any} */ (target)[k] = Number(v);
		} else {
			/** @type {any} */ (target)[k] = v;
		}
	}
	return target;
}

/** JSON-safe view of the options (Infinity shown as null). @param {SandboxOptions} o */
function optionsForJson(o) {
	return { ...o, credits: Number.isFinite(o.credits) ? o.credits : null };
}

module.exports = { defaults, mergeOptions, optionsForJson };
