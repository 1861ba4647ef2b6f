import { docsReport, driftedErrorMessages, literalParts } from '../../scripts/readme-tables';

// The check reads the built node (dist/), as `npm run docs:check` does; npm test builds first.
const errorsTable = (rows: string[]) => `## Errors and what to do\n\n| Message starts with | Cause | What to do |\n| --- | --- | --- |\n${rows.join('\n')}\n\n## Examples\n`;

describe('npm run docs:check against the built node (dist/)', () => {
	it('finds the README tables and every quoted error message in the build', () => {
		const report = docsReport();
		expect(report).toMatchObject({ changed: [], missing: [], drifted: [] });
		expect(report.quotes.length).toBeGreaterThan(20);
	});

	it('fails on a message the node never produces, or one whose wording drifted', () => {
		const drifted = driftedErrorMessages(
			errorsTable([
				'| `The moon refused the landing` | x | y |',
				'| `Could not download the result video` | x | y |',
				'| `… is a GIF image; never … is accepted` | x | y |',
				'| `Segmind rate limit reached` (429) | x | y |',
				'| `Segmind job <id> did not finish within N seconds` | x | y |',
			]),
		);
		expect(drifted.map(([quote]) => quote)).toEqual([
			'The moon refused the landing',
			'Could not download the result video',
			'… is a GIF image; never … is accepted',
		]);
	});

	it('reads placeholders in a quote as what varies: …, <…>, quoted field names, numbers, N, 5xx', () => {
		expect(literalParts('"Mask Binary Field": … is 1024x768, but the first image … is 1024x1024')).toEqual(['but the first image']);
		expect(literalParts('Segmind server error (5xx)')).toEqual(['Segmind server error']);
		expect(literalParts('Segmind job <id> did not finish within N seconds')).toEqual(['Segmind job', 'did not finish within', 'seconds']);
	});
});
