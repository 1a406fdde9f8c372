/**
 * The Idempotency-Key of a submission. The service returns the ORIGINAL request (and charges
 * nothing more) for a repeated key with the same model, body and webhook.
 *
 * Default key: a hash of where the submission comes from (workflow, execution, node, run of the
 * node, item) and what it asks for (model, body, webhook, and the binary files to upload, by
 * content). So every retry of the same submission in the same execution, including n8n's Retry On
 * Fail (which re-runs the node within the same run), sends the same key; a new execution, or the
 * node running again on new input (a loop), sends a new one.
 * A key the user gives (e.g. a spreadsheet row id) is sent as given, so a re-run of a whole
 * workflow on the same rows returns the original requests.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_KEY_PATTERN } from './contract';
import type { InputChecks } from '../validation';

export interface SubmissionOrigin {
	workflowId: string;
	executionId: string;
	nodeId: string;
	runIndex: number;
	itemIndex: number;
}

export interface SubmissionContent {
	modelId: string;
	body: IDataObject;
	webhook?: string;
	/** binary files that are uploaded before submitting: argument and a fingerprint of the bytes */
	files: Array<{ argument: string; fingerprint: string }>;
}

/** JSON with object keys sorted, so the same content always hashes the same. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, entry]) => entry !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonical(entry)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

export function derivedIdempotencyKey(origin: SubmissionOrigin, content: SubmissionContent): string {
	const digest = createHash('sha256').update(canonical({ origin, content })).digest('base64url');
	return `n8n-${digest}`;
}

/** A key given by the user: 1 to 255 visible ASCII characters (no spaces), as the service requires. */
export function checkIdempotencyKey(checks: InputChecks, value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = (typeof value === 'string' || typeof value === 'number' ? String(value) : '').trim();
	if (text === '' && (typeof value === 'string' || typeof value === 'number')) return undefined;
	if (!IDEMPOTENCY_KEY_PATTERN.test(text)) {
		checks.fail(
			'Idempotency Key',
			value,
			`Use 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters without spaces (e.g. a row id such as "row-42"), or leave it empty for a key made from this execution, node, item and request.`,
		);
	}
	return text;
}

/** A short fingerprint of binary content (or of its stored id), for the derived key. */
export function fingerprint(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('base64url').slice(0, 22);
}
