// @ts-check
'use strict';
/**
 * Request body schemas of the contract (Higgsfield's v1 API documentation), built from the
 * primitives in validation.js. Each validator returns the list of 422 errors (empty = valid).
 * Unknown extra fields are ignored like the service does, except `webhook` inside params.
 */
const V = require('./validation');

const SOUL_SIZES = Object.freeze([
	'1152x2048', '2048x1152', '2048x1536', '1536x2048', '1344x2016', '2016x1344', '960x1696', '1536x1536',
	'1536x1152', '1696x960', '1152x1536', '1088x1632', '1632x1088', '1120x1680', '1680x1120', '2048x2048',
]);
const DOP_MODELS = Object.freeze(['dop-lite', 'dop-preview', 'dop-turbo']);
const UPLOAD_CONTENT_TYPES = Object.freeze(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'audio/wav', 'audio/x-wav', 'video/mp4']);
const WAV_TYPES = Object.freeze(['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave']);

/** @typedef {import('./validation').PydError} PydError */
/** @typedef {import('./validation').Check} Check */
/** @typedef {(url: string) => string|undefined} ContentTypeLookup  stored content type of a sandbox upload URL */

const image = V.model({
	type: V.required(V.literal(['image_url'])),
	image_url: V.required(V.httpUrl),
});

/**
 * WAV only: the stored content type for sandbox uploads, else the URL's extension
 * (no extension = accepted, the service would find out later).
 * @param {ContentTypeLookup} lookup
 * @returns {Check}
 */
const wavUrl = (lookup) => (v, loc, errs) => {
	if (!V.httpUrl(v, loc, errs)) return false;
	const stored = lookup(v);
	let kind;
	if (stored !== undefined) {
		kind = stored.split(';')[0].trim().toLowerCase();
		if (WAV_TYPES.includes(kind)) return true;
	} else {
		const ext = /\.([a-z0-9]{1,5})$/i.exec(new URL(v).pathname);
		if (!ext || ['wav', 'wave'].includes(ext[1].toLowerCase())) return true;
		kind = `.${ext[1].toLowerCase()}`;
	}
	errs.push(V.err('value_error', loc, `Value error, Only WAV audio is supported (got ${kind})`, v, { error: 'Only WAV audio is supported' }));
	return false;
};

/** @param {ContentTypeLookup} lookup */
const audio = (lookup) =>
	V.model({
		type: V.required(V.literal(['audio_url'])),
		audio_url: V.required(wavUrl(lookup)),
	});

const webhook = V.model({
	url: V.required(V.httpUrl),
	secret: V.required(V.str()),
});

const FORBIDDEN = { forbidden: true, check: () => true };

/** @param {ContentTypeLookup} _lookup */
const soulParams = (_lookup) =>
	V.model({
		prompt: V.required(V.str()),
		width_and_height: V.required(V.literal([...SOUL_SIZES])),
		quality: V.required(V.literal(['720p', '1080p'])),
		batch_size: V.optional(V.literal([1, 4])),
		enhance_prompt: V.optional(V.bool),
		seed: V.optional(V.int({ ge: 0, le: 1000000 })),
		style_id: V.optional(V.uuid),
		style_strength: V.optional(V.num({ ge: 0, le: 1 })),
		custom_reference_id: V.optional(V.uuid),
		custom_reference_strength: V.optional(V.num({ ge: 0, le: 1 })),
		image_reference: V.optional(image),
		webhook: FORBIDDEN,
	});

const motion = V.model({
	id: V.required(V.uuid),
	strength: V.optional(V.num({ ge: 0, le: 1 })),
});

/** @param {ContentTypeLookup} _lookup */
const dopParams = (_lookup) =>
	V.model({
		model: V.required(V.literal([...DOP_MODELS])),
		prompt: V.required(V.str({ minLength: 1 })),
		input_images: V.required(V.list(image, { min: 1, max: 1 })),
		input_images_end: V.optional(V.list(image, { max: 1 })),
		motions: V.optional(V.list(motion, { max: 2 })),
		seed: V.optional(V.int({ ge: 0, le: 1000000 })),
		enhance_prompt: V.optional(V.bool),
		check_nsfw: V.optional(V.bool),
		webhook: FORBIDDEN,
	});

/** @param {ContentTypeLookup} lookup */
const speakParams = (lookup) =>
	V.model({
		input_image: V.required(image),
		input_audio: V.required(audio(lookup)),
		prompt: V.required(V.str()),
		quality: V.required(V.literal(['high', 'mid'])),
		duration: V.required(V.literal([5, 10, 15])),
		enhance_prompt: V.optional(V.bool),
		seed: V.optional(V.int({ ge: 1, le: 1000000 })),
		webhook: FORBIDDEN,
	});

const PARAMS = { soul: soulParams, dop: dopParams, speak: speakParams };

/**
 * Validate a wrapped generation body `{params, webhook?}`.
 * @param {'soul'|'dop'|'speak'} kind
 * @param {any} body
 * @param {ContentTypeLookup} lookup
 * @returns {PydError[]}
 */
function validateGeneration(kind, body, lookup) {
	/** @type {PydError[]} */
	const errs = [];
	V.model({
		params: V.required(PARAMS[kind](lookup)),
		webhook: V.optional(webhook),
	})(body, ['body'], errs);
	return errs;
}

/** `POST /v1/custom-references` body (not wrapped). @param {any} body @returns {PydError[]} */
function validateCharacter(body) {
	/** @type {PydError[]} */
	const errs = [];
	V.model({
		name: V.required(V.str({ minLength: 1 })),
		input_images: V.required(V.list(image, { min: 1, max: 20 })),
	})(body, ['body'], errs);
	return errs;
}

/** `POST /files/generate-upload-url` body. @param {any} body @returns {PydError[]} */
function validateUploadRequest(body) {
	/** @type {PydError[]} */
	const errs = [];
	V.model({ content_type: V.required(V.literal([...UPLOAD_CONTENT_TYPES])) })(body, ['body'], errs);
	return errs;
}

module.exports = {
	SOUL_SIZES,
	DOP_MODELS,
	UPLOAD_CONTENT_TYPES,
	WAV_TYPES,
	wavUrl,
	validateGeneration,
	validateCharacter,
	validateUploadRequest,
};
