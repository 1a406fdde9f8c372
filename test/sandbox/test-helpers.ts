// Helpers shared by the sandbox's own jest tests (test/sandbox*.test.ts).
import * as http from 'http';
import type { AddressInfo } from 'net';

export const AUTH = { 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' };
export const KEY_AUTH = { Authorization: 'Key hf-sandbox-key:hf-sandbox-secret' };

export interface Answer {
	status: number;
	headers: Headers;
	json: any;
	text: string;
}

/** One HTTP call with JSON in and (when possible) JSON out. */
export async function call(
	base: string,
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = AUTH,
): Promise<Answer> {
	const h: Record<string, string> = { ...headers };
	if (body !== undefined) h['content-type'] = 'application/json';
	const res = await fetch(base + path, {
		method,
		headers: h,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, json, text };
}

export async function download(url: string): Promise<{ status: number; type: string | null; length: string | null; bytes: Buffer }> {
	const res = await fetch(url);
	return {
		status: res.status,
		type: res.headers.get('content-type'),
		length: res.headers.get('content-length'),
		bytes: Buffer.from(await res.arrayBuffer()),
	};
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` until it returns a truthy value (or time out). */
export async function waitFor<T>(fn: () => Promise<T> | T, timeoutMs = 5000, everyMs = 25): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) throw new Error('waitFor: timed out');
		await sleep(everyMs);
	}
}

export const soulParams = (extra: Record<string, unknown> = {}) => ({
	prompt: 'a red fox in the snow',
	width_and_height: '1536x1536',
	quality: '720p',
	...extra,
});

export const image = (url = 'https://example.com/portrait.png') => ({ type: 'image_url', image_url: url });

export const dopParams = (extra: Record<string, unknown> = {}) => ({
	model: 'dop-turbo',
	prompt: 'the fox turns its head',
	input_images: [image()],
	...extra,
});

export const speakParams = (extra: Record<string, unknown> = {}) => ({
	prompt: 'a calm presenter',
	input_image: image(),
	input_audio: { type: 'audio_url', audio_url: 'https://example.com/voice.wav' },
	quality: 'mid',
	duration: 5,
	...extra,
});

export interface Received {
	headers: http.IncomingHttpHeaders;
	body: any;
	time: number;
}

/** A tiny webhook receiver on 127.0.0.1:0 that records every POST. */
export async function startReceiver(status = 200): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'), time: Date.now() });
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end('{}');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		close: () =>
			new Promise<void>((r) => {
				server.close(() => r());
				server.closeAllConnections();
			}),
	};
}

/** A port nobody listens on (bound then released). */
export async function deadPort(): Promise<number> {
	const s = http.createServer();
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
	const { port } = s.address() as AddressInfo;
	await new Promise<void>((r) => s.close(() => r()));
	return port;
}
