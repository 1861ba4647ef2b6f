import { sleep } from 'n8n-workflow';

/** Thrown when n8n's Stop button (the execution's cancel signal) ends a wait or a request. */
export class ExecutionCancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'ExecutionCancelledError';
	}
}

/**
 * Waits `ms`, or rejects as soon as `signal` fires. Unlike n8n-workflow's sleepWithAbort it
 * removes its abort listener when the wait ends, so a long poll loop does not pile them up.
 */
export async function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (signal?.aborted) throw new ExecutionCancelledError();
	if (!signal) return await sleep(ms);
	let onAbort: () => void = () => undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(new ExecutionCancelledError());
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleep(ms), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
