'use strict';
/**
 * The Segmind API credential form in the editor: its fields, help text and documentation link,
 * and n8n's connection test against the emulator, with the right key and with a wrong one.
 */

const path = require('node:path');

const MODAL = '[data-test-id="editCredential-modal"]';

async function openCredential(ctx, id) {
	const { page, server } = ctx;
	await page.goto(`${server.url}/home/credentials/${id}`);
	await page.waitForSelector(`${MODAL} [data-test-id="credential-connection-parameter"]`, { timeout: 30_000 });
}

/** The visible connection fields: label, required mark, input type, value. */
async function readFields(page) {
	return page.$$eval(`${MODAL} [data-test-id="credential-connection-parameter"]`, (items) =>
		items
			.filter((item) => item.offsetParent !== null)
			.map((item) => {
				const label = item.querySelector('label');
				const title = label ? (label.querySelector('span') ?? label).textContent.replace(/\*/g, '').trim() : '';
				const input = item.querySelector('input, textarea');
				return {
					title,
					required: !!(label && /\*/.test(label.textContent)),
					type: input ? input.getAttribute('type') : null,
					value: input ? input.value : null,
				};
			}),
	);
}

/** The text of the tooltip shown when hovering a field's label (n8n shows the description there). */
async function helpText(page, title) {
	const item = page.locator(`${MODAL} [data-test-id="credential-connection-parameter"]`, { hasText: title }).first();
	const tooltip = page.locator('[data-test-id="tooltip-content"]:visible').last();
	for (let attempt = 0; ; attempt++) {
		await page.mouse.move(5, 5);
		await item.locator('label').first().hover();
		await page.waitForTimeout(300);
		const icon = item.locator('[data-icon="circle-help"]').first();
		if (await icon.count()) await icon.hover({ force: true });
		try {
			await tooltip.waitFor({ timeout: 3_000 });
			break;
		} catch (error) {
			if (attempt >= 2) throw new Error(`no help tooltip for ${title}`);
		}
	}
	const text = (await tooltip.innerText()).trim();
	const links = await tooltip.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	await page.mouse.move(5, 5);
	await page.waitForTimeout(200);
	return { text, links };
}

/** The connection test's banner: success (it has a test id) or failure ("Couldn't connect…"). */
async function waitForTest(page) {
	const success = page.locator(`${MODAL} [data-test-id="credentials-config-container-test-success"]:visible`);
	const failure = page.locator(`${MODAL} .el-tag:visible`, { hasText: /Couldn.t connect/ });
	await success.or(failure).first().waitFor({ timeout: 30_000 });
	if (await success.count()) return { kind: 'success', text: (await success.first().innerText()).trim() };
	const banner = failure.first();
	let details = '';
	const more = banner.getByText('More details');
	if (await more.count()) {
		await more.first().click();
		await page.waitForTimeout(300);
		details = (await banner.innerText()).trim();
	}
	return { kind: 'failure', text: (await banner.innerText()).trim(), details };
}

async function dialogShot(page, file) {
	await page.mouse.move(5, 5);
	await page.waitForTimeout(200);
	// the whole dialog (header with the credential's name included), up to the last field
	const clip = await page.$eval(`${MODAL} [data-test-id="credential-name"]`, (name) => {
		const dialog = name.closest('.el-dialog, [role="dialog"]') ?? name.parentElement;
		const box = dialog.getBoundingClientRect();
		const fields = [...dialog.querySelectorAll('[data-test-id="credential-connection-parameter"]')].map((f) => f.getBoundingClientRect());
		const bottom = fields.length ? Math.max(...fields.map((f) => f.bottom)) + 56 : box.bottom;
		return { x: box.x, y: box.y, width: box.width, height: Math.min(box.bottom, bottom) - box.y };
	});
	await page.screenshot({ path: file, clip });
}

async function runCredentialChecks(ctx) {
	const { page, watch, rest, emu, expected, check, assert, same, diffLists, shots } = ctx;
	const type = expected.credential;
	const good =
		ctx.credential ??
		(await rest.call('POST', '/credentials', { name: 'Segmind (emulator)', type: type.name, data: { apiKey: emu.apiKey, baseUrl: emu.apiUrl } }));
	const wrong = await rest.call('POST', '/credentials', {
		name: 'Segmind (wrong key)',
		type: type.name,
		data: { apiKey: 'sg_wrong-key-0000000000', baseUrl: emu.apiUrl },
	});

	await check('credential form: fields API Key (password, required) and Base URL, as the credential type says', async () => {
		await openCredential(ctx, good.id);
		const fields = await readFields(page);
		const own = fields.filter((f) => type.properties.some((p) => p.displayName === f.title));
		const want = type.properties.map((p) => p.displayName);
		assert(same(own.map((f) => f.title), want), diffLists(own.map((f) => f.title), want));
		const others = fields.filter((f) => !own.includes(f)).map((f) => f.title);
		assert(others.every((t) => /Allowed HTTP Request Domains/i.test(t)), `unexpected fields: ${others.join(', ')}`);
		for (const p of type.properties) {
			const f = own.find((x) => x.title === p.displayName);
			const password = !!(p.typeOptions && p.typeOptions.password);
			assert((f.type === 'password') === password, `${p.displayName}: input type ${f.type}, password ${password}`);
			assert(f.required === !!p.required, `${p.displayName}: required mark ${f.required}, description says ${!!p.required}`);
		}
		const base = own.find((f) => f.title === 'Base URL');
		assert(base && base.value === emu.apiUrl, `Base URL shows ${base && base.value}, stored ${emu.apiUrl}`);
		const key = own.find((f) => f.title === 'API Key');
		assert(key && !key.value.includes(emu.apiKey), 'the API key is shown in clear in the page');
		return fields.map((f) => `${f.title}${f.required ? '*' : ''} (${f.type})`).join(', ');
	});

	await check('credential form: help text of every field, and where to find a Segmind key', async () => {
		const out = [];
		for (const p of type.properties) {
			const help = await helpText(page, p.displayName);
			const want = p.description.replace(/\s+/g, ' ').trim();
			assert(help.text.replace(/\s+/g, ' ').includes(want.slice(0, 60)), `${p.displayName}: tooltip "${help.text}", description "${want}"`);
			out.push(`${p.displayName}: "${help.text.slice(0, 60)}…"`);
			if (p.name === 'apiKey') {
				assert(/cloud\.segmind\.com\/console\/api-keys/.test(help.text + help.links.join(' ')), `the API Key help does not say where the key is found: "${help.text}"`);
			}
		}
		return out.join('\n');
	});

	await check('credential form: documentation link', async () => {
		const links = await page.$$eval(`${MODAL} a[href]`, (as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })));
		const doc = links.find((l) => l.href === type.documentationUrl);
		assert(doc, `no link to ${type.documentationUrl}; links: ${JSON.stringify(links)}`);
		return `"${doc.text}" → ${doc.href}`;
	});

	await check('credential form: connection test against the emulator succeeds (Retry too)', async () => {
		const credits = () => emu.requests.filter((r) => r.path === '/v1/get-user-credits').length;
		const before = credits();
		let result = await waitForTest(page);
		assert(result.kind === 'success', `banner ${result.kind}: ${result.text}`);
		await page.locator(`${MODAL} button`, { hasText: 'Retry' }).first().click();
		// Wait for the test's request to arrive (a busy machine may take seconds), not a fixed time.
		for (const until = Date.now() + 20_000; credits() <= before && Date.now() < until; ) await page.waitForTimeout(100);
		result = await waitForTest(page);
		assert(result.kind === 'success', `after Retry, banner ${result.kind}: ${result.text}`);
		const hits = emu.requests.filter((r) => r.path === '/v1/get-user-credits');
		assert(hits.length > before, 'the emulator saw no credits request from the test');
		assert(hits.every((r) => r.status === 200), `credits answered ${hits.map((r) => r.status).join(', ')}`);
		const problems = watch.take();
		assert(!problems.length, problems.join('\n'));
		if (shots) await dialogShot(page, path.join(shots, 'credential.png'));
		return `"${result.text.split('\n')[0]}"; ${hits.length - before} test request(s) with the key`;
	});

	await check('credential form: a wrong key shows a clear failure', async () => {
		await openCredential(ctx, wrong.id);
		const result = await waitForTest(page);
		assert(result.kind !== 'success', `banner says ${result.text}`);
		assert(/couldn.t connect/i.test(result.text), `no "Couldn't connect" banner: "${result.text}"`);
		assert(/invalid api key|401|unauthori[sz]ed|forbidden|api key/i.test(result.details), `the failure's details do not say the key is wrong: "${result.details}"`);
		const hits = emu.requests.filter((r) => r.path === '/v1/get-user-credits' && r.status === 401);
		assert(hits.length, 'the emulator never answered 401 to the wrong key');
		if (shots) await dialogShot(page, path.join(shots, 'credential-wrong-key.png'));
		// the failed test logs nothing to the console but n8n's own 4xx? keep what is expected out
		const problems = watch.take().filter((p) => !/\/rest\/credentials\/test/.test(p));
		assert(!problems.length, problems.join('\n'));
		return `"${result.details.replace(/\s+/g, ' ').slice(0, 240)}"`;
	});
}

module.exports = { runCredentialChecks };
