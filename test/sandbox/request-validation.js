// @ts-check
'use strict';
/**
 * Validation of a request-API body (flat JSON) against a model's argument specs
 * (request-models.js), in the two shapes the service answers:
 *   - Higgsfield's own models: 422 with a FastAPI list `{"detail": [{type, loc, msg, input}]}`;
 *   - partner models: 400 with one JSON-Schema text `{"detail": "'prompt' is a required property"}`.
 * Unknown fields are ignored (the service runs such requests on defaults).
 */
const V = require('./validation');
const { wavUrl } = require('./schemas');

/** @typedef {import('./request-models').ArgSpec} ArgSpec */
/** @typedef {import('./schemas').ContentTypeLookup} ContentTypeLookup */

// ---- FastAPI (pydantic) shape -------------------------------------------------------------

/** @param {ArgSpec} spec @param {ContentTypeLookup} lookup @returns {import('./validation').Check} */
function pydCheck(spec, lookup) {
	if (spec.enum) return V.literal(spec.enum);
	switch (spec.type) {
		case 'integer':
			return V.int({ ge: spec.minimum, le: spec.maximum });
		case 'number':
			return V.num({ ge: spec.minimum, le: spec.maximum });
		case 'boolean':
			return V.bool;
		case 'array':
			return V.list(spec.items ? pydCheck(spec.items, lookup) : () => true, { max: spec.maxItems });
		case 'object':
			return V.model(pydFields(spec.properties || {}, lookup));
		default:
			if (spec.format === 'uri') return V.httpUrl;
			if (spec.format === 'uuid') return V.uuid;
			if (spec.format === 'wav') return wavUrl(lookup);
			return V.str({ minLength: spec.minLength, maxLength: spec.maxLength });
	}
}

/** @param {Record<string, ArgSpec>} args @param {ContentTypeLookup} lookup */
function pydFields(args, lookup) {
	/** @type {Record<string, import('./validation').FieldSpec>} */
	const fields = {};
	for (const [name, spec] of Object.entries(args)) fields[name] = { check: pydCheck(spec, lookup), required: !!spec.required };
	return fields;
}

/** @param {Record<string, ArgSpec>} args @param {any} body @param {ContentTypeLookup} lookup @returns {V.PydError[]} */
function fastApiErrors(args, body, lookup) {
	/** @type {V.PydError[]} */
	const errs = [];
	V.model(pydFields(args, lookup))(body, ['body'], errs);
	return errs;
}

// ---- JSON-Schema (python jsonschema) shape ---------------------------------------------------

/** Python repr of a JSON value, as jsonschema prints it. @param {any} v @returns {string} */
function pyRepr(v) {
	if (v === null || v === undefined) return 'None';
	if (v === true) return 'True';
	if (v === false) return 'False';
	if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
	if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
	if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
	return String(v);
}

/** @param {any} v @param {string} type */
function isType(v, type) {
	switch (type) {
		case 'string':
			return typeof v === 'string';
		case 'integer':
			return typeof v === 'number' && Number.isInteger(v);
		case 'number':
			return typeof v === 'number' && Number.isFinite(v);
		case 'boolean':
			return typeof v === 'boolean';
		case 'array':
			return Array.isArray(v);
		case 'object':
			return V.isObject(v);
		default:
			return true;
	}
}

/** @param {any} v */
function isHttpUrl(v) {
	try {
		const u = new URL(v);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

/**
 * First JSON-Schema error of a value, or null.
 * @param {ArgSpec} spec @param {any} v @param {ContentTypeLookup} lookup @returns {string|null}
 */
function schemaError(spec, v, lookup) {
	if (spec.type && !isType(v, spec.type)) return `${pyRepr(v)} is not of type '${spec.type}'`;
	if (spec.enum && !spec.enum.includes(v)) return `${pyRepr(v)} is not one of ${pyRepr(spec.enum)}`;
	if (typeof v === 'number') {
		if (spec.minimum !== undefined && v < spec.minimum) return `${pyRepr(v)} is less than the minimum of ${spec.minimum}`;
		if (spec.maximum !== undefined && v > spec.maximum) return `${pyRepr(v)} is greater than the maximum of ${spec.maximum}`;
	}
	if (typeof v === 'string') {
		if (spec.maxLength !== undefined && v.length > spec.maxLength) return `${pyRepr(v)} is too long`;
		if (spec.minLength !== undefined && v.length < spec.minLength) return `${pyRepr(v)} is too short`;
		if ((spec.format === 'uri' || spec.format === 'wav') && !isHttpUrl(v)) return `${pyRepr(v)} is not a 'uri'`;
		if (spec.format === 'wav') {
			/** @type {V.PydError[]} */
			const e = [];
			if (!wavUrl(lookup)(v, [], e)) return `${pyRepr(v)} is not a WAV audio URL`;
		}
		if (spec.format === 'uuid' && !V.normalizeUuid(v)) return `${pyRepr(v)} is not a 'uuid'`;
	}
	if (Array.isArray(v)) {
		if (spec.maxItems !== undefined && v.length > spec.maxItems) return `${pyRepr(v)} is too long`;
		if (spec.items) {
			for (const x of v) {
				const e = schemaError(spec.items, x, lookup);
				if (e) return e;
			}
		}
	}
	if (spec.properties && V.isObject(v)) return objectError(spec.properties, v, lookup);
	return null;
}

/** @param {Record<string, ArgSpec>} props @param {any} obj @param {ContentTypeLookup} lookup */
function objectError(props, obj, lookup) {
	for (const [name, spec] of Object.entries(props)) {
		if (spec.required && !Object.prototype.hasOwnProperty.call(obj, name)) return `${pyRepr(name)} is a required property`;
	}
	for (const [name, spec] of Object.entries(props)) {
		if (!Object.prototype.hasOwnProperty.call(obj, name)) continue;
		const e = schemaError(spec, obj[name], lookup);
		if (e) return e;
	}
	return null;
}

/** @param {Record<string, ArgSpec>} args @param {any} body @param {ContentTypeLookup} lookup @returns {string|null} */
function jsonSchemaError(args, body, lookup) {
	if (!V.isObject(body)) return `${pyRepr(body)} is not of type 'object'`;
	return objectError(args, body, lookup);
}

module.exports = { fastApiErrors, jsonSchemaError, pyRepr };
