/**
 * Media inputs: each image or audio input is a URL or a binary property of the incoming item.
 * Reading and checking happens before any request; uploading happens when the item is submitted.
 */
import type { IBinaryKeyData, IExecuteFunctions } from 'n8n-workflow';

import { InputChecks } from '../validation';
import { IMAGE_MIME_TYPES, WAV_MIME_TYPES, baseMimeType, extensionOfUrl } from './mime';
import { uploadBinary } from './upload';

export type MediaKind = 'image' | 'audio';

export type MediaInput =
	| { source: 'url'; url: string }
	| { source: 'binary'; property: string; mimeType: string };

export interface AcceptedMedia {
	mimeTypes: string[];
	/** what to give instead, for error messages */
	hint: string;
}

/** The file types Higgsfield takes for each kind of media argument. */
export const ACCEPTED_MEDIA: Record<MediaKind | 'video', AcceptedMedia> = {
	image: { mimeTypes: IMAGE_MIME_TYPES, hint: 'a JPEG, PNG, WebP or GIF image' },
	audio: { mimeTypes: WAV_MIME_TYPES, hint: 'a WAV file (MP3 is not accepted by Higgsfield: convert it to WAV first)' },
	video: { mimeTypes: ['video/mp4'], hint: 'an MP4 video' },
};

/** Every type the upload endpoint takes, for a file whose argument the package does not know. */
export const ANY_UPLOADABLE: AcceptedMedia = {
	mimeTypes: [...IMAGE_MIME_TYPES, ...WAV_MIME_TYPES, 'video/mp4'],
	hint: 'an image, a WAV file or an MP4 video',
};

/**
 * Checks that the item has the binary property and that its file is of an accepted type; returns
 * the file's base MIME type. `instead` ends the "no such property" error with the other way to give it.
 */
export function checkedBinaryType(
	checks: InputChecks,
	binaries: IBinaryKeyData,
	field: string,
	property: string,
	accepted: AcceptedMedia,
	instead: string,
): string {
	const binary = binaries[property];
	if (!binary) {
		const present = Object.keys(binaries);
		checks.fail(
			field,
			property,
			`Item ${checks.itemIndex} has no binary property "${property}" (${present.length ? `it has: ${present.join(', ')}` : 'it has no binary data'}). Give the name of a binary property of the incoming item (see its Binary tab), ${instead}.`,
		);
	}
	const mimeType = baseMimeType(binary.mimeType) ?? '';
	if (!accepted.mimeTypes.includes(mimeType)) {
		const file = binary.fileName ? `"${binary.fileName}" ` : '';
		checks.fail(field, `${property} (${mimeType || 'unknown type'})`, `The file ${file}in "${property}" is ${mimeType || 'of an unknown type'}. Give ${accepted.hint}.`);
	}
	return mimeType;
}

export interface MediaFieldNames {
	/** parameter holding 'url' or 'binary' */
	source: string;
	url: string;
	binaryProperty: string;
	/** how the field is labelled in the UI, for error messages */
	label: string;
}

/** File extensions that are certainly not a WAV file: an audio URL ending in one is refused early. */
const NOT_WAV_EXTENSIONS = new Set(['mp3', 'm4a', 'aac', 'ogg', 'oga', 'opus', 'flac', 'wma', 'webm', 'mp4', 'mov', 'png', 'jpg', 'jpeg', 'gif', 'webp']);

/** Reads one media input of an item and checks it. */
export function readMediaInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: MediaFieldNames,
	kind: MediaKind,
): MediaInput {
	const checks: InputChecks = new InputChecks(ctx.getNode(), itemIndex);
	const source = ctx.getNodeParameter(fields.source, itemIndex, 'url') as string;
	const field = `${fields.label} Binary Property`;
	if (source === 'binary') {
		const property = checks.text(field, ctx.getNodeParameter(fields.binaryProperty, itemIndex, 'data'));
		const binaries = ctx.getInputData()[itemIndex]?.binary ?? {};
		const mimeType = checkedBinaryType(checks, binaries, field, property, ACCEPTED_MEDIA[kind], 'or switch the input to a URL');
		return { source: 'binary', property, mimeType };
	}
	const url = checks.fetchableUrl(`${fields.label} URL`, ctx.getNodeParameter(fields.url, itemIndex, ''), 'or switch the input to a binary file');
	const extension = extensionOfUrl(url);
	// a URL without a telling extension (none, .php, ...) cannot be judged before the service fetches it
	if (kind === 'audio' && extension !== undefined && NOT_WAV_EXTENSIONS.has(extension)) {
		checks.fail(`${fields.label} URL`, url, `Give a URL of ${ACCEPTED_MEDIA.audio.hint}.`);
	}
	return { source: 'url', url };
}

/** The URL Higgsfield will fetch: the given one, or the public URL of the uploaded binary. */
export async function resolveMediaUrl(ctx: IExecuteFunctions, itemIndex: number, input: MediaInput): Promise<string> {
	if (input.source === 'url') return input.url;
	const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, input.property);
	return await uploadBinary(ctx, itemIndex, bytes, input.mimeType);
}

export function imageObject(url: string): { type: 'image_url'; image_url: string } {
	return { type: 'image_url', image_url: url };
}

export function audioObject(url: string): { type: 'audio_url'; audio_url: string } {
	return { type: 'audio_url', audio_url: url };
}
