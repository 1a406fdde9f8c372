/**
 * Checks of user input, done before any request. Each error names the field, the value and
 * the item, and says how to fix it.
 */
import type { INode, NodeOperationError } from 'n8n-workflow';

import { nodeOperationError } from './transport/errors';

const SHOWN_CHARACTERS = 80;

/** The value as the error shows it: quoted text, short, never a whole object. */
function show(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (typeof value === 'string') {
		return value === '' ? 'an empty text' : JSON.stringify(value.length > SHOWN_CHARACTERS ? `${value.slice(0, SHOWN_CHARACTERS)}…` : value);
	}
	const text = JSON.stringify(value) ?? String(value);
	return text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}…` : text;
}

/** The error context key that names the field an input error is about (tool errors name it for a model). */
export const INPUT_FIELD = 'inputField';

export function invalidInput(node: INode, itemIndex: number, field: string, value: unknown, fix: string): NodeOperationError {
	const error = nodeOperationError(node, `Invalid "${field}" in item ${itemIndex}: got ${show(value)}`, {
		itemIndex,
		description: fix,
	});
	error.context[INPUT_FIELD] = field;
	return error;
}

export class InputChecks {
	constructor(
		private readonly node: INode,
		readonly itemIndex: number,
	) {}

	fail(field: string, value: unknown, fix: string): never {
		throw invalidInput(this.node, this.itemIndex, field, value, fix);
	}

	text(field: string, value: unknown): string {
		if (typeof value !== 'string' && typeof value !== 'number') this.fail(field, value, `Enter a text for "${field}".`);
		const text = String(value).trim();
		if (text === '') this.fail(field, value, `"${field}" is required: enter a text.`);
		return text;
	}

	oneOf<T extends string | number>(field: string, value: unknown, allowed: readonly T[]): T {
		const match = allowed.find((option) => option === value || String(option) === String(value).trim());
		if (match === undefined) this.fail(field, value, `Use one of: ${allowed.join(', ')}.`);
		return match;
	}

	number(field: string, value: unknown, min: number, max: number): number {
		const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed < min || parsed > max) {
			this.fail(field, value, `Use a number from ${min} to ${max}.`);
		}
		return parsed;
	}

	integer(field: string, value: unknown, min: number, max: number): number {
		const parsed = this.number(field, value, min, max);
		if (!Number.isInteger(parsed)) this.fail(field, value, `Use a whole number from ${min} to ${max}.`);
		return parsed;
	}

	boolean(field: string, value: unknown): boolean {
		if (typeof value === 'boolean') return value;
		if (value === 'true' || value === 'false') return value === 'true';
		this.fail(field, value, 'Use true or false.');
	}

	/** An id picked from a list or typed: a UUID, as the service validates it. */
	uuid(field: string, value: unknown): string {
		const text = typeof value === 'string' ? value.trim() : '';
		if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) {
			this.fail(field, value, 'Pick an entry from the list, or give its ID (a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6).');
		}
		return text;
	}

	/**
	 * A URL the service will connect to itself (an input file, a webhook): https only. Plain http
	 * is allowed for loopback hosts, which is how the local sandbox serves files and receives
	 * webhooks in tests and demos; the real service cannot reach a loopback address at all, so
	 * this never sends a real job to a plain-http address.
	 * `alternative` ends the fix, e.g. "or switch the input to a binary file".
	 */
	fetchableUrl(field: string, value: unknown, alternative = ''): string {
		const text = typeof value === 'string' ? value.trim() : '';
		let url: URL | undefined;
		try {
			url = new URL(text);
		} catch {
			url = undefined;
		}
		const loopback = url !== undefined && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
		if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
			const problem =
				text === ''
					? `"${field}" is required.`
					: url === undefined
						? 'This is not a complete URL.'
						: url.protocol === 'http:'
							? 'Higgsfield connects to this address itself and only over https.'
							: `Higgsfield cannot fetch a ${url.protocol} address.`;
			this.fail(field, value, `${problem} Use a public https:// URL, e.g. https://example.com/file.png${alternative ? `, ${alternative}` : ''}.`);
		}
		return url.toString();
	}
}
