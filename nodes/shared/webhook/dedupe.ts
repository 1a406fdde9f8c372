/**
 * Higgsfield may deliver the same webhook more than once. The trigger remembers what it started
 * for a short while, in the node's workflow static data, and starts nothing for a repeat.
 *
 * Limits, by design of n8n's static data:
 * - n8n saves static data after each production webhook call; a manual test ("Listen for test
 *   event") keeps its own copy, so test calls and production calls do not see each other.
 * - Two deliveries handled at the very same moment (or by two webhook processes in queue mode)
 *   both read the record before either saves it, so both may start an execution. Downstream
 *   steps that must never run twice should still check the job set id.
 * - The record is bounded: entries older than the window are dropped on every call, and at most
 *   MAX_REMEMBERED entries are kept (the oldest go first), so the saved workflow stays small.
 */
import type { IDataObject } from 'n8n-workflow';

import { forgetInRecord, seenInRecord, type TimedRecord } from './timedRecord';

export const DUPLICATE_WINDOW_MS = 10 * 60_000;
export const MAX_REMEMBERED = 200;

const STARTED: TimedRecord = { field: 'startedJobSets', windowMs: DUPLICATE_WINDOW_MS, max: MAX_REMEMBERED };

/** The key of one delivery: the same job set in the same state. */
export function deliveryKey(jobSetId: string, status: string): string {
	return `${jobSetId}:${status}`;
}

/**
 * True when this delivery was already started within the window. Otherwise remembers it (so a
 * repeat arriving later is recognised) and returns false.
 */
export function isRepeat(staticData: IDataObject, key: string, now = Date.now()): boolean {
	return seenInRecord(staticData, STARTED, key, now);
}

/** Forgets a delivery whose execution could not be started, so that a retry is accepted. */
export function forget(staticData: IDataObject, key: string): void {
	forgetInRecord(staticData, STARTED, key);
}
