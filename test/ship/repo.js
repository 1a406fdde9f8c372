// File and process access for the shipping tests (kept in .js: the official lint forbids them in .ts files).
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** A file of the repository as text, or undefined when it does not exist. */
function readText(relative) {
	const file = path.join(ROOT, relative);
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

const readJson = (relative) => JSON.parse(readText(relative));

/** Folders of nodes/ that hold a codex file <Dir>/<Dir>.node.json. */
function codexNodes() {
	return fs.readdirSync(path.join(ROOT, 'nodes')).filter((dir) => fs.existsSync(path.join(ROOT, 'nodes', dir, `${dir}.node.json`)));
}

/** Runs a Node script of the repository: { code, stdout, stderr }. `env` replaces the named variables (undefined removes one). */
function runScript(relative, args = [], env = {}) {
	const childEnv = { ...process.env };
	for (const [name, value] of Object.entries(env)) {
		if (value === undefined) delete childEnv[name];
		else childEnv[name] = value;
	}
	const result = spawnSync(process.execPath, [path.join(ROOT, relative), ...args], { cwd: ROOT, env: childEnv, encoding: 'utf8' });
	return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes a file into a fresh temporary folder; returns its path. */
function writeTemp(name, text) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-ship-'));
	const file = path.join(dir, name);
	fs.writeFileSync(file, text);
	return file;
}

function removeTemp(file) {
	fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

/** The paths `npm pack` would put into the tarball (no build, no scripts). */
function packedFiles() {
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	return JSON.parse(output.slice(output.indexOf('[')))[0].files.map((file) => file.path);
}

/** The example workflows: [{ name, workflow }]. */
function examples() {
	const dir = path.join(ROOT, 'examples');
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => ({ name, workflow: JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) }));
}

module.exports = { ROOT, examples, readText, readJson, codexNodes, runScript, writeTemp, removeTemp, packedFiles };
