/** Limits how many submissions are in flight at once (the service caps them per API key). */
export class Semaphore {
	private available: number;

	private readonly waiting: Array<() => void> = [];

	constructor(slots: number) {
		this.available = Math.max(1, Math.floor(slots));
	}

	async acquire(): Promise<() => void> {
		if (this.available > 0) {
			this.available--;
		} else {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const next = this.waiting.shift();
			if (next) next();
			else this.available++;
		};
	}
}
