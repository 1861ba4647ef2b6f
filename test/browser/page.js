'use strict';
/** Helpers for the editor page: what it reports, the node panel, screenshots. */

const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

/** Everything the page reports as wrong: console errors, uncaught errors, failed requests. */
function watchPage(page) {
	const problems = [];
	page.on('console', (message) => {
		if (message.type() === 'error') problems.push(`console error: ${message.text().slice(0, 400)}`);
	});
	page.on('pageerror', (error) => problems.push(`uncaught: ${error.message.slice(0, 400)}`));
	page.on('response', (response) => {
		if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
	});
	page.on('requestfailed', (request) => {
		const failure = request.failure();
		if (failure && /ERR_ABORTED/.test(failure.errorText)) return; // navigations, cancelled fetches
		problems.push(`request failed: ${request.url()} (${failure ? failure.errorText : '?'})`);
	});
	return {
		/** the problems since the last call */
		take() {
			return problems.splice(0);
		},
	};
}

// ---- the panel -----------------------------------------------------------------------------------

/** The visible fields of the open panel's Parameters tab: label, parameter name, shown value. */
async function readPanel(page) {
	return page.$$eval('[data-test-id="ndv"] [data-test-id="node-parameters"] [data-test-id="parameter-item"]', (items) => {
		const visible = (el) => !!(el && el.offsetParent !== null && el.getClientRects().length);
		const out = [];
		for (const item of items) {
			if (!visible(item)) continue;
			// only top-level parameters, not the fields inside a collection's options
			if (item.parentElement && item.parentElement.closest('[data-test-id="parameter-item"]')) continue;
			const label = item.querySelector('[data-test-id="input-label"] label');
			const title = label ? (label.querySelector('span') ?? label).textContent.trim() : '';
			const input = [...item.querySelectorAll('[data-test-id^="parameter-input-"]')].find(
				(el) => el.getAttribute('data-test-id') !== 'parameter-input-field',
			);
			const name = input ? input.getAttribute('data-test-id').slice('parameter-input-'.length) : null;
			let value = null;
			const sw = item.querySelector('.el-switch');
			const cm = item.querySelector('.cm-content');
			const multi = item.querySelector('.duplicate-parameter');
			if (sw) value = sw.classList.contains('is-checked');
			else if (cm) value = [...cm.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n');
			else if (multi && !input) value = item.querySelectorAll('.duplicate-parameter-item').length;
			else if (input) {
				const field = input.querySelector('textarea, input') ?? input;
				value = 'value' in field ? field.value : field.textContent.trim();
			}
			out.push({ title, name, value, issues: !!item.querySelector('[data-test-id="parameter-issues"]') });
		}
		return out;
	});
}

async function openNode(page, name) {
	if (await page.isVisible('[data-test-id="ndv"]')) await closeNode(page);
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]', { timeout: 30_000 });
	await page.waitForTimeout(400); // let the parameters settle
}

async function closeNode(page) {
	await page.click('[data-test-id="ndv-close-button"]');
	await page.waitForSelector('[data-test-id="ndv"]', { state: 'hidden', timeout: 15_000 });
}

/** A screenshot of the panel's middle column (parameters), cropped. */
async function panelShot(page, file) {
	await page.mouse.move(5, 5);
	await page.waitForTimeout(200);
	const ndv = await page.$('[data-test-id="ndv"]');
	const tabs = await page.$('[data-test-id="ndv"] [data-test-id="tab-params"]');
	const params = await page.$('[data-test-id="ndv"] [data-test-id="node-parameters"]');
	const execute = await page.$('[data-test-id="ndv"] [data-test-id="node-execute-button"]');
	const n = await ndv.boundingBox();
	const t = await tabs.boundingBox();
	const p = await params.boundingBox();
	const e = execute ? await execute.boundingBox() : p;
	// down to the last parameter, not the empty space under it
	const last = await page.$$eval('[data-test-id="ndv"] [data-test-id="node-parameters"] [data-test-id="parameter-item"]', (items) =>
		Math.max(0, ...items.filter((i) => i.offsetParent !== null).map((i) => i.getBoundingClientRect().bottom)),
	);
	const x = Math.max(n.x, Math.min(t.x, p.x) - 16);
	const right = Math.max(p.x + p.width, e.x + e.width) + 16;
	const bottom = Math.min(n.y + n.height, (last || p.y + p.height) + 24);
	await page.screenshot({ path: file, clip: { x, y: n.y, width: right - x, height: bottom - n.y } });
	return file;
}

module.exports = { readPanel, openNode, closeNode, panelShot, watchPage, CHROMIUM_ARGS };

