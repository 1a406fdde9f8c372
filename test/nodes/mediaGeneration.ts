/** Assertions shared by the Image to Video and Speak tests: auth headers, uploads, MP4 outputs. */
import type { INodeExecutionData } from 'n8n-workflow';

import { binaryBytes } from '../helpers/n8n';
import type { startSandbox } from '../sandbox';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
export type LogEntry = Sandbox['log'][number];
export type HeaderScheme = 'hfHeaders' | 'authorizationKey';

export const SCHEMES: HeaderScheme[] = ['hfHeaders', 'authorizationKey'];

/** Headers the HTTP client adds to every request; everything else was chosen by the node. */
const TRANSPORT_HEADERS = ['accept', 'accept-encoding', 'user-agent', 'content-length', 'host', 'connection'];
const AUTH_HEADERS = ['hf-api-key', 'hf-secret', 'authorization'];

export function chosenHeaders(entry: LogEntry): Record<string, unknown> {
	return Object.fromEntries(Object.entries(entry.headers).filter(([name]) => !TRANSPORT_HEADERS.includes(name)));
}

/** Exactly one scheme's auth headers, with the sandbox's key. */
export function expectAuth(entry: LogEntry, scheme: HeaderScheme): void {
	const auth = Object.fromEntries(AUTH_HEADERS.filter((name) => name in entry.headers).map((name) => [name, entry.headers[name]]));
	expect(auth).toEqual(
		scheme === 'hfHeaders'
			? { 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' }
			: { authorization: 'Key hf-sandbox-key:hf-sandbox-secret' },
	);
}

/** Every request of a run: API calls carry exactly the chosen scheme, file transfers carry none. */
export function expectAuthOnAll(log: LogEntry[], scheme: HeaderScheme): void {
	expect(log.length).toBeGreaterThan(0);
	for (const entry of log) {
		if (entry.path.startsWith('/v1/') || entry.path === '/files/generate-upload-url') expectAuth(entry, scheme);
		else expect(AUTH_HEADERS.filter((name) => name in entry.headers)).toEqual([]);
	}
}

/** The one generation POST of a run, checked for method, path, JSON headers and auth. */
export function submission(log: LogEntry[], path: string, scheme: HeaderScheme): LogEntry {
	const posts = log.filter((entry) => entry.method === 'POST' && entry.path === path);
	expect(posts).toHaveLength(1);
	expect(posts[0].status).toBe(200);
	expect(chosenHeaders(posts[0])).toMatchObject({ 'content-type': 'application/json' });
	expect(posts[0].headers.accept).toBe('application/json');
	expectAuth(posts[0], scheme);
	return posts[0];
}

export function binaryItem(files: Record<string, { bytes: Buffer; mimeType: string; fileName: string }>, json = {}): INodeExecutionData {
	return {
		json,
		binary: Object.fromEntries(
			Object.entries(files).map(([property, file]) => [
				property,
				{ data: file.bytes.toString('base64'), mimeType: file.mimeType, fileName: file.fileName },
			]),
		),
	};
}

export const image = (url: string) => ({ type: 'image_url', image_url: url });
export const audio = (url: string) => ({ type: 'audio_url', audio_url: url });

/**
 * The upload flow, in order, for each file: POST generate-upload-url (auth, content type), then
 * PUT to the presigned URL with exactly the signed headers and no auth. Returns the public URLs.
 */
export function expectUploads(sb: Sandbox, scheme: HeaderScheme, files: Array<{ bytes: Buffer; contentType: string }>): string[] {
	const uploadEntries = sb.log.filter((entry) => entry.path === '/files/generate-upload-url' || entry.method === 'PUT');
	expect(uploadEntries.map((entry) => entry.method)).toEqual(files.flatMap(() => ['POST', 'PUT']));
	return files.map((file, index) => {
		const ask = uploadEntries[index * 2];
		const put = uploadEntries[index * 2 + 1];
		expect(ask.body).toEqual({ content_type: file.contentType });
		expectAuth(ask, scheme);
		expect(put.path).toMatch(/^\/s3\/higgsfield-uploads\/[0-9a-f-]{36}\.\w+$/);
		expect(put.status).toBe(200);
		expect(chosenHeaders(put)).toEqual({ 'content-type': file.contentType, 'x-amz-tagging': 'retention=temporary&source=api-upload' });
		expect(put.body).toEqual({ bytes: file.bytes.length });
		const name = put.path.split('/').pop() as string;
		expect(sb.uploads.byFile(name)?.data?.equals(file.bytes)).toBe(true);
		// both happen before the generation is submitted
		const submit = sb.log.find((entry) => entry.method === 'POST' && entry.path.startsWith('/v1/'));
		expect(put.seq).toBeLessThan(submit?.seq ?? 0);
		return `${sb.url}/files/uploads/${name}`;
	});
}

/** A completed job set item with the full MP4 result (the sandbox's asset) in binary `data`. */
export function expectVideoItem(item: INodeExecutionData, itemIndex: number, jobSetId: string | null, expectedBytes: Buffer): void {
	expect(item.pairedItem).toEqual({ item: itemIndex });
	expect(item.json).toMatchObject({ id: jobSetId, status: 'completed' });
	expect(item.json.result_urls).toEqual([expect.stringMatching(/\/files\/results\/[0-9a-f-]{36}\/raw\.mp4$/)]);
	expect(item.binary?.data?.mimeType).toBe('video/mp4');
	const bytes = binaryBytes(item, 'data');
	expect(bytes.subarray(4, 8).toString('ascii')).toBe('ftyp');
	expect(bytes.equals(expectedBytes)).toBe(true);
}

/** A bad-input run: the node failed with exactly this message and nothing reached the sandbox. */
export function expectRejectedBeforeAnyRequest(
	sb: Sandbox,
	result: { output: INodeExecutionData[]; error?: Error },
	message: string,
): void {
	expect(result.error?.message).toBe(message);
	expect(result.output).toEqual([]);
	expect(sb.log).toEqual([]);
}
