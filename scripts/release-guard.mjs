// npm's prepublishOnly hook and the first step of .github/workflows/publish.yml. A release is published only by
// the tag workflow (npm provenance from GitHub Actions, as n8n's verification requires): this fails a hand-run
// `npm publish`, and in the workflow it fails when the pushed tag is not "v" + package.json's version.
// The workflow sets HF_RELEASE_TAG to the pushed tag (github.ref_name).
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const tag = process.env.HF_RELEASE_TAG;
const fromWorkflow = process.env.GITHUB_ACTIONS === 'true' && Boolean(tag);

function fail(message) {
	console.error(`\nrelease guard: ${message}\n`);
	process.exit(1);
}

if (!fromWorkflow) {
	fail(
		[
			'npm publish is not run by hand for this package.',
			'Releases are published by .github/workflows/publish.yml, with npm provenance, when a version tag is pushed:',
			`  1. set "version" in package.json and a section in CHANGELOG.md (now ${version}), commit, push`,
			`  2. git tag v${version} && git push origin v${version}`,
			'See README.md > Releasing.',
		].join('\n'),
	);
}
if (tag !== `v${version}`) {
	fail(`the tag ${tag} does not match package.json's version ${version} (expected v${version}): nothing is published.`);
}
console.log(`release guard: tag ${tag} matches package.json ${version}`);
