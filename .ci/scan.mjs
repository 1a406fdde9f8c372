// Runs n8n's official community-package scanner (analyzePackage) on the source tree and on the
// unpacked `npm pack` tarball, as n8n's verification does. Usage: node .ci/scan.mjs [tarball]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'hf-scan-'));
try {
	let tarball = process.argv[2];
	if (!tarball) {
		execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
		tarball = join(work, readdirSync(work).find((name) => name.endsWith('.tgz')));
	}
	const unpacked = join(work, 'unpacked');
	execFileSync('mkdir', ['-p', unpacked]);
	execFileSync('tar', ['xzf', resolve(tarball), '-C', unpacked, '--strip-components=1']);

	const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	const packed = await analyzePackage(unpacked, ['**/*.js', 'package.json']);
	for (const [name, result] of [['source tree', source], ['npm pack tarball', packed]]) {
		console.log(`scanner ${name}: ${result.passed ? 'PASS' : 'FAIL'} ${result.message ?? ''}`);
		if (result.details) console.log(result.details);
	}
	const files = readdirSync(join(unpacked, 'dist', 'nodes'), { recursive: true }).filter((f) => /\.(js|svg|json)$/.test(String(f)));
	console.log(`tarball holds ${files.length} node files under dist/nodes`);
	process.exitCode = source.passed && packed.passed ? 0 : 1;
} finally {
	rmSync(work, { recursive: true, force: true });
}
