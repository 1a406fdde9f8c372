// @ts-check
'use strict';
/**
 * Tiny HTTP servers for what the sandbox does not do on purpose: a host that redirects
 * elsewhere, and a host that records every request it gets (to prove a secret never reached it).
 * Plain CommonJS: the community lint rules forbid Node built-ins in TypeScript.
 */
const http = require('http');

/**
 * @typedef {{method: string, url: string, headers: Record<string, unknown>, body: string}} Received
 * @typedef {{url: string, received: Received[], close: () => Promise<void>}} TestServer
 */

/**
 * @param {(req: import('http').IncomingMessage, res: import('http').ServerResponse, body: string) => void} handler
 * @returns {Promise<TestServer>}
 */
async function startServer(handler) {
	/** @type {Received[]} */
	const received = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			received.push({ method: String(req.method), url: String(req.url), headers: { ...req.headers }, body });
			handler(req, res, body);
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${address.port}`,
		received,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}

/** Answers every request with the given status and JSON body. @param {number} status @param {unknown} json */
function startJsonServer(status, json) {
	return startServer((_req, res) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(json));
	});
}

/**
 * Redirects every request to the same path on `target` (another origin: `localhost` instead of
 * 127.0.0.1, or another port). @param {string} target @param {number} [status]
 */
function startRedirector(target, status = 302) {
	return startServer((req, res) => {
		res.writeHead(status, { location: `${target}${req.url}?token=do-not-show` });
		res.end();
	});
}

/** Loads a module as n8n-core sees it (n8n-core keeps its own copies of @n8n/di, @n8n/config). @param {string} id */
function fromN8nCore(id) {
	return require(require.resolve(id, { paths: [require.resolve('n8n-core')] }));
}

/** Turns n8n's SSRF protection on or off for the in-process executions. @param {boolean} enabled */
function setSsrfProtection(enabled) {
	const { Container } = fromN8nCore('@n8n/di');
	const { SsrfProtectionConfig } = fromN8nCore('@n8n/config');
	Container.get(SsrfProtectionConfig).enabled = enabled;
}

/**
 * Sends one request with n8n's own HTTP client (what httpRequestWithAuthentication uses) and
 * returns the error it throws, or undefined. Shows what such an error carries.
 * @param {Record<string, unknown>} options
 */
async function n8nClientError(options) {
	const { Container } = fromN8nCore('@n8n/di');
	const { OutboundHttp } = fromN8nCore('@n8n/backend-network');
	try {
		await Container.get(OutboundHttp).requests().request(options);
		return undefined;
	} catch (error) {
		return error;
	}
}

/** Values planted in requests to prove they never come back out (not real secrets). */
const PLANTED = Object.freeze({
	apiKey: 'hf-key-id-4b1d77',
	apiSecret: 'hf-api-SECRET-9f3c2e7a51d0',
	webhookSecret: 'whsec-7Hq2-TOP-SECRET-e19c',
	credentialWebhookSecret: 'whsec-from-CREDENTIAL-31aa',
	wrongSecret: 'hf-WRONG-secret-5e5e5e',
});

module.exports = { startServer, startJsonServer, startRedirector, setSsrfProtection, n8nClientError, PLANTED };
