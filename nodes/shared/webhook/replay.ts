/**
 * Replay protection for signed deliveries: a `webhook-id` seen before starts (or resumes) nothing.
 *
 * Higgsfield keeps the `webhook-id` of an event across its redeliveries (for up to about 2 hours),
 * and a captured delivery could be sent again within the 5-minute timestamp tolerance, so ids are
 * remembered well beyond that window (REPLAY_MEMORY_MS) in two bounded places:
 * - this process's memory (MAX_IN_MEMORY ids, oldest dropped first): it sees a duplicate that
 *   arrives while the first delivery is still being handled (e.g. during its downloads), before n8n
 *   has saved anything;
 * - the trigger's workflow static data (MAX_SAVED ids), which n8n saves after each production call:
 *   it survives a restart of n8n.
 * Neither is shared between several n8n webhook processes (queue mode with webhook processors):
 * there, downstream steps that must never run twice should still check the job set / request id.
 */
import type { IDataObject } from 'n8n-workflow';

import { forgetInRecord, seenInRecord, type TimedRecord } from './timedRecord';

export const REPLAY_MEMORY_MS = 24 * 60 * 60_000;
export const MAX_IN_MEMORY = 10_000;
export const MAX_SAVED = 300;

const SEEN_IDS: TimedRecord = { field: 'seenWebhookIds', windowMs: REPLAY_MEMORY_MS, max: MAX_SAVED };

/** key -> until when it is remembered; insertion order is age order */
const memory = new Map<string, number>();

/** Over the bound: drop the expired entries, then the oldest ones. */
function pruneMemory(now: number): void {
	if (memory.size <= MAX_IN_MEMORY) return;
	for (const [key, until] of memory) if (until <= now) memory.delete(key);
	for (const key of memory.keys()) {
		if (memory.size <= MAX_IN_MEMORY) break;
		memory.delete(key);
	}
}

/**
 * True when `key` was remembered in this process within the last `ttlMs`; otherwise remembers it
 * and returns false. Sees duplicates that arrive while the first is still being handled.
 */
export function seenInMemory(key: string, ttlMs: number, now: number = Date.now()): boolean {
	const until = memory.get(key);
	if (until !== undefined && until > now) return true;
	memory.delete(key);
	memory.set(key, now + ttlMs);
	pruneMemory(now);
	return false;
}

export function forgetInMemory(key: string): void {
	memory.delete(key);
}

/**
 * True when the webhook-id `id` was seen before in this scope (a workflow's node). Otherwise
 * remembers it for REPLAY_MEMORY_MS, in memory and, when given, in the static data, and returns false.
 */
export function seenBefore(scope: string, id: string, staticData?: IDataObject, now: number = Date.now()): boolean {
	const inMemory = seenInMemory(`${scope}\nwebhook-id\n${id}`, REPLAY_MEMORY_MS, now);
	if (!staticData) return inMemory;
	const saved = seenInRecord(staticData, SEEN_IDS, id, now);
	return inMemory || saved;
}

/** Forgets an id whose delivery was answered with a failure, so that its redelivery is handled. */
export function forgetId(scope: string, id: string, staticData?: IDataObject): void {
	forgetInMemory(`${scope}\nwebhook-id\n${id}`);
	if (staticData) forgetInRecord(staticData, SEEN_IDS, id);
}

/** How many keys this process remembers (for tests of the bound). */
export function rememberedInMemory(): number {
	return memory.size;
}
