/**
 * What a published package must hold and say: n8n's verification rules that live in package.json, the files
 * npm packs, the licence and changelog, and each node's Docs link.
 */
import { codexNodes, packedFiles, readJson, readText } from './repo';

const pkg = readJson('package.json');
const REPO = 'https://github.com/n8n-nodes-higgsfield/n8n-nodes-higgsfield';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('package.json', () => {
	it('names no main file that does not exist, and has a semver version', () => {
		if (pkg.main !== undefined) expect(readText(pkg.main)).toBeDefined();
		expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
	});

	it('points repository, homepage and bugs at the same GitHub repository', () => {
		expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPO}.git` });
		expect(pkg.homepage).toBe(`${REPO}#readme`);
		expect(pkg.bugs).toEqual({ url: `${REPO}/issues` });
	});

	it('follows the community-package rules: keyword, no runtime dependencies, n8n-workflow as the only peer, MIT', () => {
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.license).toBe('MIT');
		expect(readText('LICENSE')).toMatch(/^MIT License/);
	});

	it('has a changelog section for its version, in Keep a Changelog form', () => {
		const changelog = readText('CHANGELOG.md');
		expect(changelog).toContain('[Keep a Changelog]');
		expect(changelog).toMatch(/^## \[Unreleased\]$/m);
		expect(changelog).toMatch(new RegExp(`^## \\[${escape(pkg.version)}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
		expect(changelog).toMatch(new RegExp(`^\\[${escape(pkg.version)}\\]: ${escape(REPO)}/compare/`, 'm'));
	});
});

describe('npm pack', () => {
	it('holds only dist/, README, LICENSE, CHANGELOG and package.json', () => {
		const files: string[] = packedFiles();
		expect(files.filter((file) => !file.startsWith('dist/')).sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
		expect(files.filter((file) => /(^|\/)(test|sandbox|e2e|bench)\//.test(file) || /\.test\.|[^d]\.ts$/.test(file))).toEqual([]);
	});
});

describe('node documentation', () => {
	const nodes: string[] = codexNodes();

	it('every node in package.json has a codex file', () => {
		const declared = pkg.n8n.nodes.map((file: string) =>
			file
				.split('/')
				.pop()!
				.replace(/\.node\.js$/, ''),
		);
		expect(nodes).toEqual(expect.arrayContaining(declared));
	});

	it.each(nodes)("%s: the Docs link opens its own page in docs/nodes (no '#' or '?' for n8n's UTM query to land behind)", (name) => {
		const codex = readJson(`nodes/${name}/${name}.node.json`);
		expect(codex.resources.primaryDocumentation[0].url).toBe(`${REPO}/blob/main/docs/nodes/${name}.md`);
		const page: string | undefined = readText(`docs/nodes/${name}.md`);
		expect(page).toBeDefined();
		const sections = /Trigger$/.test(name)
			? ['## Fields', '## Output', '## Errors', '## Examples']
			: ['## Operations', '## Fields', '## Output', '## Errors', '## Examples'];
		for (const section of sections) expect(page).toContain(section);
	});
});
