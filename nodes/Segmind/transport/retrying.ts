import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CallContext } from '../shared/errors';
import {
	ambiguousSubmitError,
	cancelledError,
	httpStatusError,
	malformedResponseError,
	networkError,
	retriesExhaustedError,
} from '../shared/errors';
import { abortableSleep, ExecutionCancelledError } from './abortableSleep';
import type { Fault, RetryDecision } from './retryPolicy';
import { describeFault, retryDecision } from './retryPolicy';
import type { RequestThrottle } from './throttle';

/** How long one HTTP request may take (a sync call gets its item's whole time instead). */
export const REQUEST_TIMEOUT_MS = 120_000;

/** Connection errors that happen before a request leaves: Segmind cannot have seen it. */
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'];

/** The first error code found along an error's cause chain (axios errors are wrapped by n8n). */
function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const { code } = current as { code?: unknown };
		if (typeof code === 'string' && code !== '') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * Whether a failed request certainly never reached the server. n8n wraps the HTTP error in a
 * NodeApiError that may drop its cause and rewrite its message ("The service refused the
 * connection"), keeping the original text in `messages`: look at the code, then at the texts.
 */
function wasNeverSent(error: unknown): boolean {
	if (NOT_SENT_CODES.includes(errorCode(error) ?? '')) return true;
	const { message, messages, description } = (error ?? {}) as { message?: unknown; messages?: unknown; description?: unknown };
	const texts = [message, description, ...(Array.isArray(messages) ? messages : [])].filter(
		(text): text is string => typeof text === 'string',
	);
	return texts.some(
		(text) => NOT_SENT_CODES.some((code) => text.includes(code)) || text.includes('The service refused the connection'),
	);
}

/**
 * How a failed connection is named in messages, e.g. "socket hang up, ECONNRESET": the original
 * text, not the generic one n8n's NodeApiError swaps in (it keeps the original in `messages`).
 */
export function describeNetworkError(error: unknown): string {
	const code = errorCode(error);
	const { messages, cause } = (error ?? {}) as { messages?: unknown; cause?: unknown };
	const candidates = [
		...(Array.isArray(messages) ? messages : []),
		cause instanceof Error ? cause.message : undefined,
		error instanceof Error ? error.message : String(error),
	];
	const message = candidates.find((text): text is string => typeof text === 'string' && text.trim() !== '') ?? 'unknown error';
	return code && !message.includes(code) ? `${message}, ${code}` : message;
}

/** A request that failed without an answer, as a fault of the retry rule. */
export function connectionFault(error: unknown): Fault {
	return wasNeverSent(error)
		? { kind: 'not-sent', reason: describeNetworkError(error) }
		: { kind: 'connection', reason: describeNetworkError(error) };
}

/**
 * Sends one request; a request that failed without an answer becomes its fault (cancellation is
 * thrown, as the node words it).
 */
export async function sendOrFault<R>(
	node: INode,
	signal: AbortSignal | undefined,
	send: () => Promise<R>,
): Promise<{ response: R } | { fault: Fault }> {
	try {
		return { response: await send() };
	} catch (error) {
		if (signal?.aborted) throw attemptError(node, error, signal);
		return { fault: connectionFault(error) };
	}
}

/** One HTTP call as the retry loop sees it. */
export interface RetryingCall {
	context: CallContext;
	/** Whether sending it again cannot create (or bill) anything twice: stated by the caller. */
	repeatable: boolean;
	/** Nothing is retried past this. */
	deadlineMs: number;
	/** The execution's 429 throttle: every job slows down together on a rate limit. */
	throttle?: RequestThrottle;
}

/** What one attempt gave: a value, or a fault (with the answer's body, for the error). */
export type Attempt<T> = { value: T } | { fault: Fault; body?: unknown };

/** Whether an error is n8n's Stop button (the execution's cancel signal) firing. */
export function isCancellation(error: unknown, signal: AbortSignal | undefined): boolean {
	if (error instanceof ExecutionCancelledError || signal?.aborted === true) return true;
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const { code, name } = current as { code?: unknown; name?: unknown };
		if (code === 'ERR_CANCELED' || name === 'CanceledError' || name === 'AbortError') return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

/** An error thrown inside an attempt, as n8n shows errors; cancel as the node words it. */
export function attemptError(node: INode, error: unknown, signal: AbortSignal | undefined): NodeApiError | NodeOperationError {
	if (isCancellation(error, signal)) return cancelledError(node);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error));
}

/** The error for a call given up on, in the words of its phase and fault. */
function gaveUpError(
	this: IExecuteFunctions,
	call: RetryingCall,
	fault: Fault,
	why: Exclude<RetryDecision, { retry: true }>['why'],
	tries: number,
	body: unknown,
): Error {
	const node = this.getNode();
	const { context } = call;
	if (why === 'deadline' && call.repeatable) return retriesExhaustedError(node, context, describeFault(fault), tries);
	switch (fault.kind) {
		case 'rate-limited':
			return httpStatusError(node, context, 429, body);
		case 'server-error':
			return httpStatusError(node, context, fault.statusCode, body);
		case 'not-sent':
			return networkError(node, context, fault.reason);
		case 'connection':
			return context.phase === 'submit'
				? ambiguousSubmitError(node, context, fault.reason)
				: networkError(node, context, fault.reason);
		case 'unreadable':
			return malformedResponseError(node, context, fault.reason);
	}
}

/**
 * Runs `attempt` until it gives a value, retrying its faults as retryDecision says: after a
 * backoff, or, on a 429, once the shared throttle lets requests through again. Cancel ends the
 * wait at once.
 */
export async function withRetries<T>(
	this: IExecuteFunctions,
	call: RetryingCall,
	attempt: (signal: AbortSignal | undefined) => Promise<Attempt<T>>,
): Promise<T> {
	const signal = this.getExecutionCancelSignal();
	for (let tries = 1; ; tries++) {
		if (signal?.aborted) throw cancelledError(this.getNode());
		let outcome: Attempt<T>;
		try {
			await call.throttle?.acquire(signal);
			outcome = await attempt(signal);
		} catch (error) {
			throw attemptError(this.getNode(), error, signal);
		}
		if ('value' in outcome) {
			call.throttle?.succeeded();
			return outcome.value;
		}
		const { fault } = outcome;
		const decision = retryDecision({
			attempt: tries,
			fault,
			repeatable: call.repeatable,
			timeLeftMs: call.deadlineMs - Date.now(),
		});
		if (!decision.retry) throw gaveUpError.call(this, call, fault, decision.why, tries, outcome.body);
		try {
			if (fault.kind === 'rate-limited' && call.throttle) call.throttle.rateLimited(decision.delayMs);
			else await abortableSleep(decision.delayMs, signal);
		} catch (error) {
			throw attemptError(this.getNode(), error, signal);
		}
	}
}
