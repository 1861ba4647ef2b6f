/**
 * Runs `work` for every index with at most `limit` running at once; results keep index order.
 * `work` must not throw (the runner turns each item's failure into a value).
 */
export async function mapWithConcurrency<T>(
	count: number,
	limit: number,
	work: (index: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const index = next++;
			results[index] = await work(index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
	return results;
}
