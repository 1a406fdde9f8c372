// @ts-check
'use strict';
/** Characters: POST /v1/custom-references, GET .../list, GET/DELETE .../{id}. */
const V = require('../validation');
const { validateCharacter } = require('../schemas');
const { CharacterStore } = require('../characters');
const { CHARACTER_PRICE } = require('../pricing');
const { HttpError, readJson, sendJson, drop } = require('../http-util');

/** @typedef {import('../server').Sandbox} Sandbox */
/** @typedef {import('../http-util').Exchange} Exchange */

/** @param {Sandbox} sb @param {Exchange} ex */
async function createCharacter(sb, ex) {
	const body = await readJson(ex);
	const errors = validateCharacter(body);
	if (errors.length) throw new HttpError(422, errors);
	if (!sb.tryCharge(CHARACTER_PRICE)) throw new HttpError(403, 'Not enough credits');
	const c = sb.characters.create({
		keyId: /** @type {string} */ (ex.keyId),
		name: body.name,
		inputImages: body.input_images,
		seconds: sb.options.characterSeconds,
	});
	if (ex.entry) {
		ex.entry.accepted = true;
		ex.entry.characterId = c.id;
	}
	if (ex.fault && ex.fault.kind === 'dropAfterAccept') return drop(ex);
	sendJson(ex, 200, CharacterStore.toJson(c, sb.base));
}

/**
 * A query integer parsed like FastAPI (from its string form).
 * @param {URLSearchParams} q @param {string} name @param {number} dflt @param {{ge: number, le?: number}} range @param {V.PydError[]} errs
 */
function queryInt(q, name, dflt, range, errs) {
	const raw = q.get(name);
	if (raw === null) return dflt;
	const loc = ['query', name];
	if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
		errs.push(V.err('int_parsing', loc, 'Input should be a valid integer, unable to parse string as an integer', raw));
		return dflt;
	}
	const n = Number(raw);
	V.int(range)(n, loc, errs);
	return n;
}

/** @param {Sandbox} sb @param {Exchange} ex */
async function listCharacters(sb, ex) {
	/** @type {V.PydError[]} */
	const errs = [];
	const page = queryInt(ex.url.searchParams, 'page', 1, { ge: 1 }, errs);
	const pageSize = queryInt(ex.url.searchParams, 'page_size', 20, { ge: 1, le: 100 }, errs);
	if (errs.length) throw new HttpError(422, errs);
	const all = sb.characters.listFor(/** @type {string} */ (ex.keyId));
	const items = all.slice((page - 1) * pageSize, page * pageSize).map((c) => CharacterStore.toJson(c, sb.base));
	sendJson(ex, 200, { total: all.length, page, page_size: pageSize, total_pages: Math.ceil(all.length / pageSize), items });
}

/** @param {Exchange} ex */
function characterId(ex) {
	/** @type {V.PydError[]} */
	const errs = [];
	if (!V.uuid(ex.params.id, ['path', 'reference_id'], errs)) throw new HttpError(422, errs);
	const id = /** @type {string} */ (V.normalizeUuid(ex.params.id));
	if (ex.entry) ex.entry.characterId = id;
	return id;
}

/** @param {Sandbox} sb @param {Exchange} ex */
function ownCharacter(sb, ex) {
	const c = sb.characters.get(characterId(ex));
	if (!c || c.keyId !== ex.keyId) throw new HttpError(404, 'Custom reference not found');
	return c;
}

/** @param {Sandbox} sb @param {Exchange} ex */
async function getCharacter(sb, ex) {
	sendJson(ex, 200, CharacterStore.toJson(ownCharacter(sb, ex), sb.base));
}

/** @param {Sandbox} sb @param {Exchange} ex */
async function deleteCharacter(sb, ex) {
	sb.characters.delete(ownCharacter(sb, ex).id);
	sendJson(ex, 200, {});
}

module.exports = { createCharacter, listCharacters, getCharacter, deleteCharacter };
