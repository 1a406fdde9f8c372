// @ts-check
'use strict';
/**
 * The repository's own files, for tests that check what the package and its comments refer to.
 * Plain JS: the community lint rules forbid Node built-ins in TypeScript.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

/** Files git tracks (and new ones not ignored), relative to the repository root. @returns {string[]} */
function repoFiles() {
	const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
	return out.split('\n').filter((file) => file !== '' && fs.existsSync(path.join(ROOT, file)));
}

/** @param {string} file */
function readRepoFile(file) {
	return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

/** @param {string} file */
function repoFileExists(file) {
	return fs.existsSync(path.join(ROOT, file));
}

module.exports = { repoFiles, readRepoFile, repoFileExists };
