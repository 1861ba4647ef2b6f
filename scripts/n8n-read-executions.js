'use strict';
/**
 * Prints, as JSON, every execution stored in an n8n user folder's SQLite database, with its run
 * data decoded (n8n stores it with `flatted`). Run with the n8n host's own Node, from the host
 * folder, so that `sqlite3` (native, built for that Node) and `flatted` are n8n's own copies:
 *
 *   <host node> scripts/n8n-read-executions.js <host dir> <database.sqlite>  > executions.json
 *
 * This reads what n8n really kept, including runs that ended in an error (execute-batch writes
 * snapshots only for runs that succeeded).
 */
const path = require('node:path');
const { createRequire } = require('node:module');

const [hostDir, database] = process.argv.slice(2).map((p) => path.resolve(p));
const hostRequire = createRequire(path.join(hostDir, 'node_modules', 'n8n', 'package.json'));
const sqlite3 = hostRequire('sqlite3');
const { parse } = hostRequire('flatted');

const db = new sqlite3.Database(database, sqlite3.OPEN_READONLY, (openError) => {
	if (openError) fail(openError);
	db.all(
		`SELECT e.id, e.workflowId, e.status, e.finished, e.mode, e.startedAt, e.stoppedAt, d.data
		   FROM execution_entity e JOIN execution_data d ON d.executionId = e.id
		  ORDER BY e.id`,
		(queryError, rows) => {
			if (queryError) fail(queryError);
			const executions = rows.map((row) => ({ ...row, data: parse(row.data) }));
			process.stdout.write(JSON.stringify(executions));
			db.close();
		},
	);
});

function fail(error) {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
}
