// @ts-check
'use strict';
/** The fixed catalogues: DoP motions and Soul styles (ids never change, tests use them). */

/** @typedef {{id: string, name: string, description: string, start_end_frame: boolean}} Motion */
/** @typedef {{id: string, name: string, description: string}} Style */

/** @type {ReadonlyArray<Readonly<Motion>>} */
const MOTIONS = Object.freeze(
	[
		{ id: 'e9cef964-ec76-4ebc-a7d3-598bc2561a23', name: 'Dolly In', description: 'Camera glides toward the subject', start_end_frame: false },
		{ id: 'd7c61d3d-2900-4dc8-8885-d17813cc03b6', name: 'Dolly Out', description: 'Camera pulls away from the subject', start_end_frame: false },
		{ id: '90562bca-6ec2-4410-b303-7897f95d87ab', name: '360 Orbit', description: 'Full orbit around the subject', start_end_frame: false },
		{ id: '1a852c6d-a60f-48c7-b0d8-e941e285fb89', name: 'Crash Zoom In', description: 'Fast punch-in zoom', start_end_frame: false },
		{ id: '41040b56-d9db-4384-b572-cbc7f9a977d2', name: 'Crane Up', description: 'Camera rises vertically', start_end_frame: false },
		{ id: '0a12358a-ddc5-48ee-b0d2-6bc47811ed3d', name: 'Handheld', description: 'Natural handheld shake', start_end_frame: false },
		{ id: 'ed2f4075-936a-47b7-ab3f-ababa0eb3485', name: 'Morph', description: 'Morphs the start frame into the end frame', start_end_frame: true },
		{ id: '1f47feed-d758-4412-86a5-9c6487ac18ec', name: 'Time Lapse', description: 'From the start frame to the end frame over time', start_end_frame: true },
		{ id: 'd963c39e-b1c2-4ada-a520-eb3143267abe', name: 'Turning Metal', description: 'Subject turns into liquid metal', start_end_frame: false },
		{ id: 'f33d1a7f-d3c2-40b7-a842-ec31d2295a1e', name: 'Head Tracking', description: 'Camera locks on the subject head', start_end_frame: false },
	].map((m) => Object.freeze(m)),
);

/** @type {ReadonlyArray<Readonly<Style>>} */
const STYLES = Object.freeze(
	[
		{ id: '2ecde6d8-7c98-4680-9c94-2612e3a78355', name: 'Realistic', description: 'Photographic, natural light' },
		{ id: '93bb5151-8921-4c35-b717-c2dcc948f859', name: 'Film Grain', description: 'Analog 35mm look' },
		{ id: '04055523-25f7-4cdb-89b4-a4a0f4e44f98', name: 'Y2K', description: 'Glossy early-2000s aesthetic' },
		{ id: '8227bf13-4c27-4de2-b3e0-93d3954a9f3b', name: 'Tokyo Street', description: 'Neon night street photography' },
		{ id: '14226fad-0bbc-4557-b5ae-c5f897885746', name: 'Studio Portrait', description: 'Softbox portrait on seamless paper' },
		{ id: 'ade97537-2bd0-408a-8110-1b900a3e87d6', name: 'Sunset Beach', description: 'Golden hour by the sea' },
	].map((s) => Object.freeze(s)),
);

/** @param {string} id */
const findMotion = (id) => MOTIONS.find((m) => m.id === String(id).toLowerCase());
/** @param {string} id */
const findStyle = (id) => STYLES.find((s) => s.id === String(id).toLowerCase());

/** Catalogue entries as the API answers them (preview URLs served by the sandbox). @param {string} base */
function motionsBody(base) {
	return MOTIONS.map((m) => ({
		id: m.id,
		name: m.name,
		description: m.description,
		preview_url: `${base}/files/previews/motions/${m.id}.mp4`,
		start_end_frame: m.start_end_frame,
	}));
}
/** @param {string} base */
function stylesBody(base) {
	return STYLES.map((s) => ({
		id: s.id,
		name: s.name,
		description: s.description,
		preview_url: `${base}/files/previews/styles/${s.id}.png`,
	}));
}

module.exports = { MOTIONS, STYLES, findMotion, findStyle, motionsBody, stylesBody };
