/**
 * Keeping secrets (the credential's API key and secret, webhook secrets) out of what the package
 * outputs, throws and stores. One job per function, and only where a secret can really appear:
 *
 * - API answers (data): a secret comes back only where the service echoes what it was sent: the
 *   `webhook` object of a job set (`webhook.secret`) and echoed request headers. Those fields are
 *   masked by NAME, and a value that IS a secret (the whole value) is masked. Text that merely
 *   contains a secret's characters (a result URL `/files/...` with a secret of `file`, a prompt,
 *   an id) is data and is never touched.
 * - Error texts: the service's own words may quote a secret it was sent. There a secret is masked
 *   where it stands as a token of its own (not inside a longer word, path segment or id), so an
 *   error about `/files/results/...` still shows its path.
 * - Nodes carried by errors: n8n stores `error.node` with its parameters in the execution data;
 *   parameters named like a secret (Webhook Secret, ...) are masked, at any depth.
 */
import type { INode, INodeParameters } from 'n8n-workflow';

export const REDACTED = '[redacted]';

/** Shorter values are not treated as secrets (an empty or one-letter field is not a secret). */
const MIN_SECRET_LENGTH = 4;

/**
 * Names of fields that carry a secret when a service echoes a request: the webhook secret, the
 * credential's headers (both schemes), the legacy webhook header.
 */
const SECRET_FIELD = /^(secret|webhook[_-]?secret|hf[_-]secret|hf[_-]api[_-]key|authorization|x-webhook-secret-key|api[_-]?(key|secret))$/i;

/** Node parameters whose literal value is a secret (e.g. Webhook Secret). */
const SECRET_PARAMETER = /secret|password|token/i;

function usable(secrets: readonly string[]): string[] {
	return [...new Set(secrets.map((secret) => secret.trim()).filter((secret) => secret.length >= MIN_SECRET_LENGTH))];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * A copy of an API answer with echoed secrets masked: fields named like a secret (any depth), and
 * any value equal to one of the secrets. Every other value is returned unchanged.
 */
export function scrubAnswer<T>(value: T, secrets: readonly string[]): T {
	const known = usable(secrets);
	const visit = (entry: unknown, key: string | undefined): unknown => {
		if (typeof entry === 'string') {
			if (key !== undefined && SECRET_FIELD.test(key) && entry !== '') return REDACTED;
			return known.includes(entry.trim()) ? REDACTED : entry;
		}
		if (Array.isArray(entry)) return entry.map((item) => visit(item, undefined));
		if (isPlainObject(entry)) return Object.fromEntries(Object.entries(entry).map(([name, item]) => [name, visit(item, name)]));
		return entry;
	};
	return visit(value, undefined) as T;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * An error text with every secret masked where it stands as a token: not directly preceded or
 * followed by a letter or digit (so `file` is masked in "secret file" but not in "/files/").
 */
export function redactText(text: string, secrets: readonly string[]): string {
	let clean = text;
	for (const secret of usable(secrets)) {
		clean = clean.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(secret)}(?![A-Za-z0-9])`, 'g'), REDACTED);
	}
	return clean;
}

function maskParameters(value: unknown, name: string | undefined, secrets: readonly string[]): unknown {
	if (typeof value === 'string') {
		// an expression is the recipe for a secret, not the secret itself
		const literal = value !== '' && !value.startsWith('=');
		if (name !== undefined && SECRET_PARAMETER.test(name) && literal) return REDACTED;
		return secrets.includes(value.trim()) ? REDACTED : value;
	}
	if (Array.isArray(value)) return value.map((entry) => maskParameters(entry, undefined, secrets));
	if (isPlainObject(value)) {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, maskParameters(entry, key, secrets)]));
	}
	return value;
}

/**
 * The node as an error may carry it: parameters named like a secret masked (at any depth) and any
 * parameter whose whole value is one of the given secrets masked.
 */
export function safeNode(node: INode, secrets: readonly string[] = []): INode {
	return { ...node, parameters: maskParameters(node.parameters ?? {}, undefined, usable(secrets)) as INodeParameters };
}
