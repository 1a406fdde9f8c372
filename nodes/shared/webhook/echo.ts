/**
 * A v1 job set can echo the webhook it was submitted with, secret included (`webhook.secret`, also
 * inside `input_params`). The trigger and the resume of Wait for Webhook output delivered bodies,
 * so the echoed secret is removed first, wherever a `webhook` object carries one. Nothing else of
 * the body is touched (no search-and-replace inside unrelated strings).
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function strip(value: Json): Json {
	if (Array.isArray(value)) return value.map(strip);
	if (value === null || typeof value !== 'object') return value;
	const copy: { [key: string]: Json } = {};
	for (const [key, entry] of Object.entries(value)) {
		if (key === 'webhook' && entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
			const rest = { ...entry };
			delete rest.secret;
			copy[key] = strip(rest);
		} else {
			copy[key] = strip(entry);
		}
	}
	return copy;
}

/** A copy of a delivered body without any echoed `webhook.secret`. */
export function withoutEchoedSecrets<T>(body: T): T {
	return strip(body as unknown as Json) as unknown as T;
}
