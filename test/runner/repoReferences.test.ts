// Issue 13, fault 13: what the package and its comments point at exists. package.json had
// "main": "index.js" (no such file); comments cited docs/faults.md (never written) and contract
// files outside the repository.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { repoFiles, readRepoFile, repoFileExists } = require('../helpers/repoFiles') as typeof import('../helpers/repoFiles');

const files = repoFiles();
/** What users get or read: the shipped code, the credential, the examples, package.json, the README. */
const shipped = files.filter((file) => /^(nodes|credentials|examples)\//.test(file) || file === 'package.json' || file === 'README.md');

test('package.json names no entry point that does not exist', () => {
	const pkg = JSON.parse(readRepoFile('package.json')) as { main?: string; n8n: { nodes: string[]; credentials: string[] } };
	if (pkg.main !== undefined) expect(repoFileExists(pkg.main)).toBe(true);
	// what n8n loads is built from sources that exist
	for (const built of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		expect(repoFileExists(built.replace(/^dist\//, '').replace(/\.js$/, '.ts'))).toBe(true);
	}
});

test('shipped files and the README cite no path outside the repository', () => {
	const outside = shipped.flatMap((file) =>
		readRepoFile(file)
			.split('\n')
			.map((line, index) => ({ file, line: index + 1, text: line }))
			.filter(({ text }) => /(^|[\s(`'"])\/work\/|\.\.\/shared\/[\w-]+\.md/.test(text)),
	);
	expect(outside.map(({ file, line, text }) => `${file}:${line}: ${text.trim()}`)).toEqual([]);
});

test('every file a comment of the shipped code names exists in the repository', () => {
	const missing: string[] = [];
	for (const file of shipped.filter((name) => name.endsWith('.ts'))) {
		const comments = readRepoFile(file).match(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g) ?? [];
		for (const comment of comments) {
			// paths under a top-level folder of the repository, and bare TypeScript module names
			for (const [cited] of comment.matchAll(/(?<![\w./-])(?:(?:docs|nodes|test|bench|e2e|scripts|credentials|examples)\/[\w./-]+|[a-z][\w-]*\.ts)\b/g)) {
				const found = files.some((candidate) => candidate === cited || candidate.endsWith(`/${cited.replace(/^\.\.?\//, '')}`));
				if (!found) missing.push(`${file}: ${cited}`);
			}
		}
	}
	expect(missing).toEqual([]);
});

test('the README cites only docs that exist', () => {
	const cited = [...readRepoFile('README.md').matchAll(/\]\(((?!https?:|#)[^)\s#]+)/g)].map(([, target]) => target);
	expect(cited.filter((target) => !repoFileExists(target))).toEqual([]);
});

test('the README says which options are per item and which one is per node', () => {
	const readme = readRepoFile('README.md');
	expect(readme).toMatch(/\| Max Concurrent Jobs \| 4 \|[^\n]*\*\*One value per node\*\*/);
	expect(readme).toContain('are read **per item**');
});
