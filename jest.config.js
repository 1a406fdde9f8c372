/** @type {import('jest').Config} */
module.exports = {
	// jest's node environment that also watches the real process for warnings (see failOnWarnings.js)
	testEnvironment: '<rootDir>/test/environment.js',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	transformIgnorePatterns: ['/node_modules/'],
	setupFiles: ['<rootDir>/test/setup.js'],
	// any MaxListenersExceededWarning or unhandled rejection fails the test file it happens in
	setupFilesAfterEnv: ['<rootDir>/test/failOnWarnings.js'],
	testTimeout: 60_000,
	// the fault suite runs on its own (npm run test:faults) and in CI after the unit tests
	testPathIgnorePatterns: process.env.HF_FAULTS ? [] : ['/node_modules/', '\\.faults\\.test\\.ts$'],
};
