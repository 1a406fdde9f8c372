/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	transformIgnorePatterns: ['/node_modules/'],
	setupFiles: ['<rootDir>/test/setup.js'],
	testTimeout: 60_000,
	// the fault suite runs on its own (npm run test:faults) and in CI after the unit tests
	testPathIgnorePatterns: process.env.HF_FAULTS ? [] : ['/node_modules/', '\\.faults\\.test\\.ts$'],
};
