/**
 * Checks a request's flat body against the catalogue entry of its model, before any request:
 * required, enum, range, type, length, https URLs, WAV audio. Returns the body with values in the
 * types the service expects (e.g. "5" for an integer option becomes 5). Arguments the catalogue does
 * not describe pass through unchecked; a model the catalogue does not know is not checked at all.
 */
import type { IDataObject } from 'n8n-workflow';

import { extensionOfUrl } from '../binary/mime';
import type { InputChecks } from '../validation';
import type { CatalogueModel, ModelArgument } from './catalogue';

/** File extensions that are certainly not WAV: an audio URL ending in one is refused early. */
const NOT_WAV_EXTENSIONS = new Set(['mp3', 'm4a', 'aac', 'ogg', 'oga', 'opus', 'flac', 'wma', 'webm', 'mp4', 'mov', 'png', 'jpg', 'jpeg', 'gif', 'webp']);

export function isEmptyValue(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

/** Where a missing or wrong argument is set, for the fix of an error. */
function whereToSet(argument: ModelArgument): string {
	return argument.media
		? `Give a public https:// URL under Arguments > ${argument.name}, or a binary property under Files From Binary Data`
		: `Set it under Arguments > ${argument.name} (or in Extra Arguments (JSON))`;
}

/** A list given as a list, a JSON list text, or URLs separated by commas or new lines. */
function asList(checks: InputChecks, argument: ModelArgument, value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text.startsWith('[')) {
			try {
				const parsed: unknown = JSON.parse(text);
				if (Array.isArray(parsed)) return parsed;
			} catch {
				// reported below
			}
			checks.fail(argument.name, value, `Give a list, e.g. ["https://example.com/a.png", "https://example.com/b.png"].`);
		}
		return text.split(/[\n,]+/).map((entry) => entry.trim()).filter(Boolean);
	}
	checks.fail(argument.name, value, 'Give a list of URLs.');
}

function asJson(checks: InputChecks, argument: ModelArgument, value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		checks.fail(argument.name, value, `Give JSON, e.g. ${argument.description ?? '[]'}.`);
	}
}

function checkMediaUrl(checks: InputChecks, model: CatalogueModel, argument: ModelArgument, value: unknown): string {
	const url = checks.fetchableUrl(argument.name, value, 'or give the file as binary data under Files From Binary Data');
	const extension = extensionOfUrl(url);
	if (argument.wav && extension !== undefined && NOT_WAV_EXTENSIONS.has(extension)) {
		checks.fail(argument.name, url, `${model.id} takes WAV audio only (MP3 and other formats are refused): convert the file to WAV, or give a URL of a .wav file.`);
	}
	return url;
}

function checkValue(checks: InputChecks, model: CatalogueModel, argument: ModelArgument, value: unknown): unknown {
	const name = argument.name;
	if (argument.options) {
		const match = argument.options.find((option) => option === value || String(option) === String(value).trim());
		if (match === undefined) checks.fail(name, value, `${model.id} accepts: ${argument.options.join(', ')}.`);
		return match;
	}
	switch (argument.type) {
		case 'integer':
		case 'number': {
			const min = argument.min ?? -Number.MAX_SAFE_INTEGER;
			const max = argument.max ?? Number.MAX_SAFE_INTEGER;
			return argument.type === 'integer' ? checks.integer(name, value, min, max) : checks.number(name, value, min, max);
		}
		case 'boolean':
			return checks.boolean(name, value);
		case 'list': {
			const list = asList(checks, argument, value);
			return argument.media ? list.map((entry) => checkMediaUrl(checks, model, argument, entry)) : list;
		}
		case 'json': {
			const parsed = asJson(checks, argument, value);
			if (argument.maxItems !== undefined && Array.isArray(parsed) && parsed.length > argument.maxItems) {
				checks.fail(name, value, `${model.id} takes at most ${argument.maxItems} entries here.`);
			}
			return parsed;
		}
		default: {
			if (argument.media) return checkMediaUrl(checks, model, argument, value);
			if (typeof value !== 'string' && typeof value !== 'number') checks.fail(name, value, `Give a text for "${name}".`);
			const text = String(value);
			if (argument.maxLength !== undefined && text.length > argument.maxLength) {
				checks.fail(name, `${text.length} characters`, `${model.id} takes at most ${argument.maxLength} characters here: shorten it.`);
			}
			return text;
		}
	}
}

/**
 * @param filledByBinary arguments that uploaded files will fill (they count as given; a list's
 * files count towards its maximum)
 */
export function checkArguments(
	checks: InputChecks,
	model: CatalogueModel,
	body: IDataObject,
	filledByBinary: Record<string, number> = {},
): IDataObject {
	const checked: IDataObject = { ...body };
	for (const argument of model.arguments) {
		const value = body[argument.name];
		const files = filledByBinary[argument.name] ?? 0;
		if (isEmptyValue(value)) {
			delete checked[argument.name];
			if (argument.required && files === 0) {
				checks.fail(argument.name, value, `"${argument.name}" is required by ${model.id}. ${whereToSet(argument)}.`);
			}
			continue;
		}
		if (files > 0 && argument.type !== 'list') {
			checks.fail(argument.name, value, `"${argument.name}" is given twice, as a URL and as a binary file: keep one of them.`);
		}
		const normalised = checkValue(checks, model, argument, value);
		if (argument.type === 'list' && argument.maxItems !== undefined) {
			const count = (normalised as unknown[]).length + files;
			if (count > argument.maxItems) checks.fail(argument.name, `${count} entries`, `${model.id} takes at most ${argument.maxItems} here: remove some.`);
		}
		checked[argument.name] = normalised as IDataObject[keyof IDataObject];
	}
	for (const [name, files] of Object.entries(filledByBinary)) {
		const argument = model.arguments.find((candidate) => candidate.name === name);
		if (argument?.maxItems !== undefined && isEmptyValue(body[name]) && files > argument.maxItems) {
			checks.fail(name, `${files} files`, `${model.id} takes at most ${argument.maxItems} here: remove some.`);
		}
	}
	return checked;
}
