// Waiting for a job set and turning its results into items and files (Soul Image and Image to Video).
import { runNode, binaryBytes } from '../helpers/n8n';
import { makePng, startSandbox } from '../sandbox';
import { asset } from '../sandbox/media';
import { DOP, FAST, downloads, jobSetIdOf, maxInFlight, promptItems, PROMPT_FROM_ITEM, runSoul, statusChecks, type Sandbox } from './lifecycle';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 100 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.clearLog());

const STAGGERED = 'four lighthouses [sandbox:stagger=0.3]';
const rawPng = (jobId: string) => makePng({ width: 256, height: 256, seed: jobId });
const minPng = (jobId: string) => makePng({ width: 64, height: 64, seed: jobId });

describe('a batch of 4 whose jobs finish at different times', () => {
	test('waits for every job, then returns all four results as data, data_1, data_2, data_3', async () => {
		const { output, error } = await runSoul(sb, { parameters: { prompt: STAGGERED, additionalFields: { batchSize: 4 } } });
		expect(error).toBeUndefined();

		const id = jobSetIdOf(sb, STAGGERED);
		const set = sb.jobSets.get(id)!;
		const jobIds = set.jobs.map((job) => job.id);
		// the sandbox finished the jobs 0.3 s apart
		const ends = set.jobs.map((job) => job.completedAt as number);
		expect(ends[1] - ends[0]).toBe(300);
		expect(ends[3] - ends[0]).toBe(900);

		// the node saw the set partly done and kept waiting (the official SDK stops at the first job)
		const checks = statusChecks(sb, id);
		const completedSeen = checks.map((entry) => entry.completedJobs?.length);
		expect(completedSeen.some((count) => count !== undefined && count >= 1 && count < 4)).toBe(true);
		expect(completedSeen[completedSeen.length - 1]).toBe(4);
		expect(completedSeen.filter((count) => count === 4)).toHaveLength(1);
		// and asked for nothing once it was done but the four files, in job order
		const lastCheck = checks[checks.length - 1];
		const files = downloads(sb);
		expect(files.map((entry) => entry.path)).toEqual(jobIds.map((jobId) => `/files/results/${jobId}/raw.png`));
		expect(files.every((entry) => entry.seq > lastCheck.seq && entry.status === 200)).toBe(true);
		expect(sb.log.map((entry) => entry.method)).toEqual(['POST', ...checks.map(() => 'GET'), 'GET', 'GET', 'GET', 'GET']);

		expect(output).toHaveLength(1);
		const [item] = output;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ id, status: 'completed', type: 'text2image_soul' });
		expect(item.json.result_urls).toEqual(jobIds.map((jobId) => `${sb.url}/files/results/${jobId}/raw.png`));
		expect(item.json.preview_urls).toEqual(jobIds.map((jobId) => `${sb.url}/files/results/${jobId}/min.png`));
		expect((item.json.jobs as Array<{ status: string }>).map((job) => job.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1', 'data_2', 'data_3']);
		['data', 'data_1', 'data_2', 'data_3'].forEach((property, index) => {
			expect(item.binary?.[property]).toMatchObject({
				mimeType: 'image/png',
				fileName: `higgsfield-${id.slice(0, 8)}-${index + 1}.png`,
				fileExtension: 'png',
			});
			expect(binaryBytes(item, property).equals(rawPng(jobIds[index]))).toBe(true);
		});
	});

	test('Output "One Item per Result" gives one item per job, each file in data, paired with its input item', async () => {
		const prompts = ['first batch [sandbox:stagger=0.2]', 'second batch [sandbox:stagger=0.1]'];
		const { output, error } = await runSoul(sb, {
			parameters: { ...PROMPT_FROM_ITEM, additionalFields: { batchSize: 4 } },
			options: { outputMode: 'result' },
			items: promptItems(prompts),
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(8);
		prompts.forEach((prompt, itemIndex) => {
			const id = jobSetIdOf(sb, prompt);
			const jobs = sb.jobSets.get(id)!.jobs;
			jobs.forEach((job, jobIndex) => {
				const item = output[itemIndex * 4 + jobIndex];
				expect(item.pairedItem).toEqual({ item: itemIndex });
				expect(item.json).toEqual({
					job_set_id: id,
					job_set_type: 'text2image_soul',
					job_id: job.id,
					job_index: jobIndex,
					status: 'completed',
					url: `${sb.url}/files/results/${job.id}/raw.png`,
					preview_url: `${sb.url}/files/results/${job.id}/min.png`,
					input_params: { prompt, width_and_height: '1536x1536', quality: '720p', batch_size: 4 },
				});
				expect(Object.keys(item.binary ?? {})).toEqual(['data']);
				expect(item.binary?.data).toMatchObject({ mimeType: 'image/png', fileName: `higgsfield-${id.slice(0, 8)}-${jobIndex + 1}.png` });
				expect(binaryBytes(item).equals(rawPng(job.id))).toBe(true);
			});
		});
		expect(downloads(sb)).toHaveLength(8);
	});
});

describe('Download Results', () => {
	test('Preview (min) downloads the small file of each job, named -preview', async () => {
		const prompt = 'previews only';
		const { output, error } = await runSoul(sb, { parameters: { prompt, download: 'min', additionalFields: { batchSize: 4 } } });
		expect(error).toBeUndefined();
		const id = jobSetIdOf(sb, prompt);
		const jobIds = sb.jobSets.get(id)!.jobs.map((job) => job.id);
		expect(downloads(sb).map((entry) => entry.path)).toEqual(jobIds.map((jobId) => `/files/results/${jobId}/min.png`));
		const [item] = output;
		jobIds.forEach((jobId, index) => {
			const property = index === 0 ? 'data' : `data_${index}`;
			expect(item.binary?.[property]).toMatchObject({ mimeType: 'image/png', fileName: `higgsfield-${id.slice(0, 8)}-${index + 1}-preview.png` });
			expect(binaryBytes(item, property).equals(minPng(jobId))).toBe(true);
		});
	});

	test('None returns the result URLs and downloads nothing', async () => {
		const prompt = 'urls only';
		const { output, error } = await runSoul(sb, { parameters: { prompt, download: 'none' } });
		expect(error).toBeUndefined();
		const id = jobSetIdOf(sb, prompt);
		const jobId = sb.jobSets.get(id)!.jobs[0].id;
		expect(output).toHaveLength(1);
		expect(output[0].binary).toBeUndefined();
		expect(output[0].json).toMatchObject({ id, status: 'completed', result_urls: [`${sb.url}/files/results/${jobId}/raw.png`] });
		expect(downloads(sb)).toEqual([]);
	});

	test('a custom Binary Property names the files photo, photo_1, ...', async () => {
		const { output, error } = await runSoul(sb, { parameters: { prompt: 'named', additionalFields: { batchSize: 4 } }, options: { binaryPropertyName: 'photo' } });
		expect(error).toBeUndefined();
		expect(Object.keys(output[0].binary ?? {})).toEqual(['photo', 'photo_1', 'photo_2', 'photo_3']);
	});

	test.each([
		['raw', 'video-raw.mp4', ''],
		['min', 'video-min.mp4', '-preview'],
	])('a DoP video, %s: video/mp4 with an .mp4 name', async (download, assetName, suffix) => {
		const { output, error } = await runNode({
			type: 'higgsfieldImageToVideo',
			parameters: { operation: 'generate', prompt: `a slow dolly in (${download})`, startImageUrl: 'https://example.com/start.png', download, options: FAST },
			credentials: { baseUrl: sb.url },
		});
		expect(error).toBeUndefined();
		const id = jobSetIdOf(sb, `a slow dolly in (${download})`, DOP);
		const jobId = sb.jobSets.get(id)!.jobs[0].id;
		expect(downloads(sb).map((entry) => entry.path)).toEqual([`/files/results/${jobId}/${download}.mp4`]);
		expect(output[0].binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `higgsfield-${id.slice(0, 8)}${suffix}.mp4`, fileExtension: 'mp4', fileType: 'video' });
		expect(binaryBytes(output[0]).equals(asset(assetName))).toBe(true);
	});
});

describe.each([
	['higgsfieldSoulImage', '/v1/text2image/soul', { widthAndHeight: '1536x1536', quality: '720p' }, 'image/png', 'png'],
	['higgsfieldImageToVideo', DOP, { startImageUrl: 'https://example.com/start.png' }, 'video/mp4', 'mp4'],
	['higgsfieldSpeak', '/v1/speak/higgsfield', { imageUrl: 'https://example.com/face.png', audioUrl: 'https://example.com/voice.wav' }, 'video/mp4', 'mp4'],
])('%s follows the same lifecycle', (type, path, fields, mimeType, extension) => {
	test('three items, one flagged, under Continue On Fail and Max Concurrent Jobs 2', async () => {
		const prompts = ['first take [sandbox:seconds=0.4]', 'second take [sandbox:nsfw]', 'third take [sandbox:seconds=0.1]'];
		const { output, error } = await runNode({
			type,
			parameters: { operation: 'generate', ...fields, ...PROMPT_FROM_ITEM, options: { ...FAST, maxConcurrentJobs: 2 } },
			credentials: { baseUrl: sb.url },
			items: promptItems(prompts),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const ids = prompts.map((prompt) => jobSetIdOf(sb, prompt, path));
		expect(output).toHaveLength(3);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const index of [0, 2]) {
			expect(output[index].json).toMatchObject({ id: ids[index], status: 'completed' });
			expect(output[index].binary?.data).toMatchObject({ mimeType, fileName: `higgsfield-${ids[index].slice(0, 8)}.${extension}` });
		}
		expect(output[1].json).toMatchObject({ error: `Job set ${ids[1]} ended as nsfw (1 of 1 jobs) [item 1]`, id: ids[1], status: 'nsfw' });
		expect(output[1].binary).toBeUndefined();
		expect(maxInFlight(sb, ids)).toBe(2);
	});
});
