// A slow job, meant to be started asynchronously (?async=true): the caller gets an empty 200 and an
// X-Process-Id at once; the result lands in the processes catalog a few seconds later.
const seconds = Math.min(Number(query.seconds ?? 3), 30);
console.log(`building the report for ${seconds}s`);
await sleep(seconds * 1000);
const rows = Array.from({ length: 5 }, (_, i) => ({ row: i + 1, value: (i + 1) * seconds }));
console.log('report done');
return { rows, total: rows.reduce((sum, r) => sum + r.value, 0) };
