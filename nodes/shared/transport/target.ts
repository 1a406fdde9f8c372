/**
 * Where an authenticated API request goes. The request API returns absolute `status_url` and
 * `cancel_url` addresses; following one sends the credential's key there, so an address is only
 * followed when it is a Higgsfield host or the credential's own Base URL host. Anything else
 * (another host, a malformed value, credentials in the URL) is ignored and the documented path is
 * built on the Base URL instead: a response can never redirect the API key elsewhere.
 */

/** Higgsfield's own hosts: higgsfield.ai and its subdomains (platform., api., ...), over https. */
export const HIGGSFIELD_HOST_SUFFIX = '.higgsfield.ai';

function isHiggsfieldUrl(url: URL): boolean {
	const host = url.hostname.toLowerCase();
	return url.protocol === 'https:' && (host === HIGGSFIELD_HOST_SUFFIX.slice(1) || host.endsWith(HIGGSFIELD_HOST_SUFFIX));
}

function parse(value: string): URL | undefined {
	try {
		return new URL(value);
	} catch {
		return undefined;
	}
}

/**
 * The absolute URL of an API request: `candidate` (an absolute URL the API returned) when it may be
 * followed, else `path` on the Base URL. A candidate may be followed when it is https on a
 * Higgsfield host (`*.higgsfield.ai`), or has the Base URL's own scheme, host and port (a proxy
 * or the sandbox), and carries no user name or password.
 */
export function apiRequestUrl(baseUrl: string, path: string, candidate?: string): string {
	const base = baseUrl.replace(/\/+$/, '');
	const onBase = `${base}${path.startsWith('/') ? '' : '/'}${path}`;
	if (candidate === undefined || candidate.trim() === '') return onBase;
	const url = parse(candidate.trim());
	const baseParsed = parse(base);
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return onBase;
	if (url.username !== '' || url.password !== '') return onBase;
	if (isHiggsfieldUrl(url) || (baseParsed !== undefined && url.origin === baseParsed.origin)) return url.href;
	return onBase;
}
