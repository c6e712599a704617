// Run graphql-http's GraphQL-over-HTTP server audits against a running server.
//
//   node audit.mjs http://127.0.0.1:8000/graphql
//
// Prints one line per audit (id, level, result, name, and why it failed), then the
// passed/failed counts for each requirement level and in all. Exits 1 when any MUST or
// SHOULD audit fails (a MAY is optional), 2 when the server cannot be audited at all.
import { serverAudits } from 'graphql-http';

const url = process.argv[2] ?? process.env.GRAPHQL_URL;
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}

const levels = ['MUST', 'SHOULD', 'MAY'];
const counts = Object.fromEntries(levels.map((level) => [level, { passed: 0, failed: 0 }]));

for (const { id, name, fn } of serverAudits({ url })) {
  const level = levels.find((l) => name.startsWith(`${l} `));
  let result;
  try {
    result = await fn();
  } catch (error) {
    // An audit throws only when it cannot run at all (for example, the server is down).
    console.error(`${id} ${name}: could not run: ${error}`);
    process.exit(2);
  }
  const passed = result.status === 'ok';
  counts[level][passed ? 'passed' : 'failed'] += 1;
  const line = `${id}  ${passed ? 'ok  ' : 'FAIL'}  ${name}`;
  if (passed) {
    console.log(line);
  } else {
    let body = '';
    try {
      body = (await result.response.text()).slice(0, 200);
    } catch {
      // the audit may have read the body already
    }
    console.log(`${line}\n        ${result.reason}${body ? ` (body: ${body})` : ''}`);
  }
}

const summary = levels.map((l) => `${l} ${counts[l].passed} passed, ${counts[l].failed} failed`);
console.log(`\nsummary: ${summary.join('; ')}`);
const total = (key) => levels.reduce((sum, l) => sum + counts[l][key], 0);
console.log(`http-audit: ${total('passed')} passed, ${total('failed')} failed`);
process.exit(counts.MUST.failed + counts.SHOULD.failed > 0 ? 1 : 0);
