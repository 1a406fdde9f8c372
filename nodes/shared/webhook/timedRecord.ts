/**
 * A bounded record of keys in a node's workflow static data, each with the time it was first seen:
 * what the trigger remembers across calls (n8n saves static data after each production call).
 * Entries older than the window are dropped on every use and, beyond the cap, the oldest ones, so
 * the saved workflow stays small.
 */
import type { IDataObject } from 'n8n-workflow';

export interface TimedRecord {
	/** the static data field that holds it */
	field: string;
	windowMs: number;
	max: number;
}

type Entries = { [key: string]: number };

function entriesOf(staticData: IDataObject, record: TimedRecord): Entries {
	const current = staticData[record.field];
	if (current !== null && typeof current === 'object' && !Array.isArray(current)) return current as Entries;
	const fresh: Entries = {};
	staticData[record.field] = fresh;
	return fresh;
}

function prune(entries: Entries, record: TimedRecord, now: number): void {
	for (const [key, time] of Object.entries(entries)) {
		if (typeof time !== 'number' || now - time >= record.windowMs || time > now + record.windowMs) delete entries[key];
	}
	const kept = Object.entries(entries).sort((a, b) => a[1] - b[1]);
	for (const [key] of kept.slice(0, Math.max(0, kept.length - record.max))) delete entries[key];
}

/** True when `key` is in the record (seen within the window); otherwise remembers it and returns false. */
export function seenInRecord(staticData: IDataObject, record: TimedRecord, key: string, now: number): boolean {
	const entries = entriesOf(staticData, record);
	prune(entries, record, now);
	if (entries[key] !== undefined) return true;
	entries[key] = now;
	prune(entries, record, now);
	return false;
}

export function forgetInRecord(staticData: IDataObject, record: TimedRecord, key: string): void {
	delete entriesOf(staticData, record)[key];
}
