// @ts-check
'use strict';
/**
 * Real media the sandbox serves and tests feed in: PNG made with zlib, WAV made by hand,
 * MP4 shipped as small committed assets (made once with ffmpeg, not needed at run time),
 * and a streamed "large MP4" that is never held in memory.
 */
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const crypto = require('crypto');

const CRC_TABLE = (() => {
	const table = new Int32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c;
	}
	return table;
})();

/** @param {Buffer} buf */
function crc32(buf) {
	let c = -1;
	for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ -1) >>> 0;
}

/** @param {string} type @param {Buffer} data */
function pngChunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([len, typeAndData, crc]);
}

/** Three bytes of colour derived from any seed (number or string). @param {number|string} seed */
function seedColour(seed) {
	const h = crypto.createHash('sha256').update(String(seed)).digest();
	return [h[0], h[1], h[2]];
}

/**
 * A valid RGB PNG: a diagonal gradient whose base colour depends on `seed`.
 * Also callable positionally: makePng(width, height, seed).
 * @param {{width?: number, height?: number, seed?: number|string} | number} [opts]
 * @param {number} [h] @param {number|string} [s]
 * @returns {Buffer}
 */
function makePng(opts = {}, h, s) {
	const o = typeof opts === 'number' ? { width: opts, height: h ?? opts, seed: s } : opts;
	const { width = 64, height = 64, seed = 1 } = o;
	const [r0, g0, b0] = seedColour(seed);
	const rowLen = 1 + width * 3;
	const raw = Buffer.alloc(rowLen * height);
	for (let y = 0; y < height; y++) {
		const row = y * rowLen; // filter byte 0 (None)
		for (let x = 0; x < width; x++) {
			const t = (x + y) / Math.max(1, width + height - 2);
			const o = row + 1 + x * 3;
			raw[o] = (r0 + Math.round(t * 160)) & 0xff;
			raw[o + 1] = (g0 + Math.round((x / Math.max(1, width - 1)) * 96)) & 0xff;
			raw[o + 2] = (b0 + Math.round((y / Math.max(1, height - 1)) * 96)) & 0xff;
		}
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	ihdr[10] = 0; // compression
	ihdr[11] = 0; // filter
	ihdr[12] = 0; // no interlace
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', zlib.deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * A valid 16-bit PCM WAV holding a sine tone. Also callable positionally: makeWav(seconds, sampleRate).
 * @param {{seconds?: number, sampleRate?: number, channels?: number, frequency?: number} | number} [opts]
 * @param {number} [rate]
 * @returns {Buffer}
 */
function makeWav(opts = {}, rate) {
	const o = typeof opts === 'number' ? { seconds: opts, sampleRate: rate } : opts;
	const { seconds = 1, sampleRate = 16000, channels = 1, frequency = 440 } = o;
	const frames = Math.max(0, Math.round(seconds * sampleRate));
	const dataLen = frames * channels * 2;
	const buf = Buffer.alloc(44 + dataLen);
	buf.write('RIFF', 0, 'ascii');
	buf.writeUInt32LE(36 + dataLen, 4);
	buf.write('WAVE', 8, 'ascii');
	buf.write('fmt ', 12, 'ascii');
	buf.writeUInt32LE(16, 16); // fmt chunk size
	buf.writeUInt16LE(1, 20); // PCM
	buf.writeUInt16LE(channels, 22);
	buf.writeUInt32LE(sampleRate, 24);
	buf.writeUInt32LE(sampleRate * channels * 2, 28); // byte rate
	buf.writeUInt16LE(channels * 2, 32); // block align
	buf.writeUInt16LE(16, 34); // bits per sample
	buf.write('data', 36, 'ascii');
	buf.writeUInt32LE(dataLen, 40);
	for (let i = 0; i < frames; i++) {
		const v = Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * 0.3 * 32767);
		for (let c = 0; c < channels; c++) buf.writeInt16LE(v, 44 + (i * channels + c) * 2);
	}
	return buf;
}

const ASSET_DIR = path.join(__dirname, 'assets');
/** @type {Map<string, Buffer>} */
const assetCache = new Map();

/** A committed binary asset (read once, then cached). @param {string} name */
function asset(name) {
	let buf = assetCache.get(name);
	if (!buf) {
		buf = fs.readFileSync(path.join(ASSET_DIR, name));
		assetCache.set(name, buf);
	}
	return buf;
}

/** Header of a "large MP4": an ftyp box then one box (free) spanning the remaining bytes. @param {number} total */
function largeMp4Header(total) {
	const ftyp = Buffer.alloc(24);
	ftyp.writeUInt32BE(24, 0);
	ftyp.write('ftypisom', 4, 'ascii');
	ftyp.writeUInt32BE(0x200, 12);
	ftyp.write('isomiso2', 16, 'ascii');
	if (total < ftyp.length + 16) return ftyp.subarray(0, Math.max(0, total)); // degenerate: tiny sizes
	const rest = total - ftyp.length;
	let box;
	if (rest <= 0xffffffff) {
		box = Buffer.alloc(8);
		box.writeUInt32BE(rest, 0);
		box.write('free', 4, 'ascii');
	} else {
		box = Buffer.alloc(16);
		box.writeUInt32BE(1, 0); // 64-bit largesize follows
		box.write('free', 4, 'ascii');
		box.writeBigUInt64BE(BigInt(rest), 8);
	}
	return Buffer.concat([ftyp, box]);
}

const PAD_CHUNK = Buffer.alloc(64 * 1024);

/**
 * Write `total` bytes of a valid-looking MP4 to a writable, chunk by chunk with backpressure.
 * Never allocates more than one 64 KiB padding buffer (shared).
 * @param {import('stream').Writable} out
 * @param {number} total
 * @returns {Promise<void>}
 */
function streamLargeMp4(out, total) {
	return new Promise((resolve, reject) => {
		const header = largeMp4Header(total);
		let remaining = total - header.length;
		const onError = (/** @type {Error} */ err) => reject(err);
		const onClose = () => resolve(); // client went away: stop quietly
		out.once('error', onError);
		out.once('close', onClose);
		const pump = () => {
			while (remaining > 0) {
				const n = Math.min(remaining, PAD_CHUNK.length);
				remaining -= n;
				const ok = out.write(n === PAD_CHUNK.length ? PAD_CHUNK : PAD_CHUNK.subarray(0, n));
				if (!ok) {
					out.once('drain', pump);
					return;
				}
			}
			out.removeListener('error', onError);
			out.removeListener('close', onClose);
			out.end(resolve);
		};
		if (out.write(header)) pump();
		else out.once('drain', pump);
	});
}

module.exports = { makePng, makeWav, crc32, asset, streamLargeMp4, largeMp4Header };
