// @ts-check
'use strict';
/**
 * Pydantic-v2-shaped validation primitives: each check pushes FastAPI-style errors
 * `{type, loc, msg, input, ctx?}` and returns whether the value passed.
 * Types are strict (no "5" for 5, no 1 for true): the sandbox is there to catch sloppy clients.
 */

/** @typedef {(string|number)[]} Loc */
/** @typedef {{type: string, loc: Loc, msg: string, input: any, ctx?: object}} PydError */
/** @typedef {(value: any, loc: Loc, errs: PydError[]) => boolean} Check */

const UUID_RE = /^(?:urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/** @param {any} v */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** @param {any} v */
function pyRepr(v) {
	return typeof v === 'string' ? `'${v}'` : String(v);
}
/** "a, b or c" like pydantic. @param {any[]} values */
function orList(values) {
	const r = values.map(pyRepr);
	return r.length <= 1 ? r.join('') : `${r.slice(0, -1).join(', ')} or ${r[r.length - 1]}`;
}

/** @param {string} type @param {Loc} loc @param {string} msg @param {any} input @param {object} [ctx] @returns {PydError} */
function err(type, loc, msg, input, ctx) {
	/** @type {PydError} */
	const e = { type, loc, msg, input };
	if (ctx) e.ctx = ctx;
	return e;
}

/** @param {Loc} loc @param {any} parent */
const missing = (loc, parent) => err('missing', loc, 'Field required', parent);

/** Normalise a UUID string (any form pydantic accepts) to lower-case dashed, or null. @param {any} v */
function normalizeUuid(v) {
	if (typeof v !== 'string') return null;
	const m = UUID_RE.exec(v.trim());
	return m ? m.slice(1).join('-').toLowerCase() : null;
}

/** @param {{minLength?: number, maxLength?: number}} [o] @returns {Check} */
const str = (o = {}) => (v, loc, errs) => {
	if (typeof v !== 'string') {
		errs.push(err('string_type', loc, 'Input should be a valid string', v));
		return false;
	}
	if (o.minLength && v.trim().length < o.minLength) {
		const n = o.minLength;
		errs.push(err('string_too_short', loc, `String should have at least ${n} character${n === 1 ? '' : 's'}`, v, { min_length: n }));
		return false;
	}
	if (o.maxLength !== undefined && v.length > o.maxLength) {
		const n = o.maxLength;
		errs.push(err('string_too_long', loc, `String should have at most ${n} character${n === 1 ? '' : 's'}`, v, { max_length: n }));
		return false;
	}
	return true;
};

/** @param {{ge?: number, le?: number}} o @param {Loc} loc @param {number} v @param {PydError[]} errs */
function range(o, loc, v, errs) {
	if (o.ge !== undefined && v < o.ge) {
		errs.push(err('greater_than_equal', loc, `Input should be greater than or equal to ${o.ge}`, v, { ge: o.ge }));
		return false;
	}
	if (o.le !== undefined && v > o.le) {
		errs.push(err('less_than_equal', loc, `Input should be less than or equal to ${o.le}`, v, { le: o.le }));
		return false;
	}
	return true;
}

/** @param {{ge?: number, le?: number}} [o] @returns {Check} */
const int = (o = {}) => (v, loc, errs) => {
	if (typeof v !== 'number' || !Number.isFinite(v)) {
		errs.push(err('int_type', loc, 'Input should be a valid integer', v));
		return false;
	}
	if (!Number.isInteger(v)) {
		errs.push(err('int_from_float', loc, 'Input should be a valid integer, got a number with a fractional part', v));
		return false;
	}
	return range(o, loc, v, errs);
};

/** @param {{ge?: number, le?: number}} [o] @returns {Check} */
const num = (o = {}) => (v, loc, errs) => {
	if (typeof v !== 'number' || !Number.isFinite(v)) {
		errs.push(err('float_type', loc, 'Input should be a valid number', v));
		return false;
	}
	return range(o, loc, v, errs);
};

/** @type {Check} */
const bool = (v, loc, errs) => {
	if (typeof v === 'boolean') return true;
	errs.push(err('bool_type', loc, 'Input should be a valid boolean', v));
	return false;
};

/** @param {any[]} allowed @returns {Check} */
const literal = (allowed) => (v, loc, errs) => {
	if (allowed.includes(v)) return true;
	const expected = orList(allowed);
	errs.push(err('literal_error', loc, `Input should be ${expected}`, v, { expected }));
	return false;
};

/** @type {Check} */
const uuid = (v, loc, errs) => {
	if (typeof v !== 'string') {
		errs.push(err('uuid_type', loc, 'UUID input should be a string, bytes or UUID object', v));
		return false;
	}
	if (normalizeUuid(v)) return true;
	const compact = v.replace(/-/g, '');
	const msg =
		compact.length !== 32
			? `Input should be a valid UUID, invalid length: expected length 32 for simple format, found ${compact.length}`
			: 'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]';
	errs.push(err('uuid_parsing', loc, msg, v, { error: msg.replace('Input should be a valid UUID, ', '') }));
	return false;
};

/** An http(s) URL (pydantic HttpUrl). @type {Check} */
const httpUrl = (v, loc, errs) => {
	if (typeof v !== 'string') {
		errs.push(err('url_type', loc, 'URL input should be a string or URL', v));
		return false;
	}
	let u;
	try {
		u = new URL(v);
	} catch {
		errs.push(err('url_parsing', loc, 'Input should be a valid URL, relative URL without a base', v, { error: 'relative URL without a base' }));
		return false;
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:') {
		errs.push(err('url_scheme', loc, "URL scheme should be 'http' or 'https'", v, { expected_schemes: "'http' or 'https'" }));
		return false;
	}
	return true;
};

/** @param {Check} item @param {{min?: number, max?: number}} [o] @returns {Check} */
const list = (item, o = {}) => (v, loc, errs) => {
	if (!Array.isArray(v)) {
		errs.push(err('list_type', loc, 'Input should be a valid list', v));
		return false;
	}
	let ok = true;
	if (o.min !== undefined && v.length < o.min) {
		errs.push(err('too_short', loc, `List should have at least ${o.min} item${o.min === 1 ? '' : 's'} after validation, not ${v.length}`, v, { field_type: 'List', min_length: o.min, actual_length: v.length }));
		ok = false;
	}
	if (o.max !== undefined && v.length > o.max) {
		errs.push(err('too_long', loc, `List should have at most ${o.max} item${o.max === 1 ? '' : 's'} after validation, not ${v.length}`, v, { field_type: 'List', max_length: o.max, actual_length: v.length }));
		ok = false;
	}
	v.forEach((x, i) => {
		if (!item(x, [...loc, i], errs)) ok = false;
	});
	return ok;
};

/**
 * @typedef {{check: Check, required?: boolean, forbidden?: boolean}} FieldSpec
 * @param {Record<string, FieldSpec>} spec
 * @returns {Check}
 */
const model = (spec) => (v, loc, errs) => {
	if (!isObject(v)) {
		errs.push(err('model_attributes_type', loc, 'Input should be a valid dictionary or object to extract fields from', v));
		return false;
	}
	let ok = true;
	for (const [name, f] of Object.entries(spec)) {
		const has = Object.prototype.hasOwnProperty.call(v, name);
		if (f.forbidden) {
			if (has) {
				errs.push(err('extra_forbidden', [...loc, name], 'Extra inputs are not permitted', v[name]));
				ok = false;
			}
			continue;
		}
		if (!has) {
			if (f.required) {
				errs.push(missing([...loc, name], v));
				ok = false;
			}
			continue;
		}
		if (!f.check(v[name], [...loc, name], errs)) ok = false;
	}
	return ok;
};

/** @param {Check} check */
const required = (check) => ({ check, required: true });
/** @param {Check} check */
const optional = (check) => ({ check });

module.exports = {
	UUID_RE,
	isObject,
	err,
	missing,
	normalizeUuid,
	str,
	int,
	num,
	bool,
	literal,
	uuid,
	httpUrl,
	list,
	model,
	required,
	optional,
};
