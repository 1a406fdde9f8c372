/** MIME types the upload endpoint accepts, and file extensions for results. */
export const IMAGE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];
export const WAV_MIME_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'];

const EXTENSION_BY_MIME: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'video/mp4': 'mp4',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/mpeg': 'mp3',
};

const MIME_BY_EXTENSION: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	mp4: 'video/mp4',
	wav: 'audio/wav',
	mp3: 'audio/mpeg',
};

export function baseMimeType(contentType: string | undefined): string | undefined {
	const base = contentType?.split(';')[0].trim().toLowerCase();
	return base === '' ? undefined : base;
}

export function extensionOfUrl(url: string): string | undefined {
	try {
		const last = new URL(url).pathname.split('/').pop() ?? '';
		const dot = last.lastIndexOf('.');
		return dot > 0 ? last.slice(dot + 1).toLowerCase() : undefined;
	} catch {
		return undefined;
	}
}

export function mimeTypeOfUrl(url: string): string | undefined {
	const extension = extensionOfUrl(url);
	return extension === undefined ? undefined : MIME_BY_EXTENSION[extension];
}

export function extensionForMime(mimeType: string | undefined): string | undefined {
	return mimeType === undefined ? undefined : EXTENSION_BY_MIME[mimeType];
}

/** Upload endpoints want audio/wav; n8n often labels WAV files audio/x-wav or audio/wave. */
export function normaliseUploadMime(mimeType: string): string {
	return WAV_MIME_TYPES.includes(mimeType) ? 'audio/wav' : mimeType;
}
