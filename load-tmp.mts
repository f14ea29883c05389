import { loadResults } from './bench/load.ts';
for (const r of await loadResults(4, 50)) console.log(r.route.padEnd(45), r.cpuMsPerRequest.toFixed(3), r.requestsPerSecond);
