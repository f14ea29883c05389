/**
 * Several instances on one PostgreSQL: server CPU per create (the BFFs' and all of PostgreSQL's
 * processes' added up) with one instance taking the load, then with two taking it together.
 * On 2 cores req/s says little; CPU per create says whether a second instance costs extra.
 */
import autocannon from 'autocannon';
import { newOrders, type RouteLoad } from './load.js';
import { postgresPids, totalCpuMs } from './process-stats.js';
import { benchSchema, startBff, startSimulator, type Server } from './servers.js';

export interface TwoInstances {
  one: Pick<RouteLoad, 'requests' | 'requestsPerSecond' | 'cpuMsPerRequest' | 'postgresCpuMsPerRequest' | 'non2xx' | 'errors'>;
  two: TwoInstances['one'];
  skipped?: string;
}

async function measure(bffs: Server[], seconds: number, connections: number): Promise<TwoInstances['one']> {
  const options = bffs.map((bff, i) => newOrders(bff.url, { connections: Math.round(connections / bffs.length), duration: seconds }, `${bffs.length}-${i}-${Date.now()}`));
  await Promise.all(options.map((o) => autocannon({ ...o, duration: 1 })));
  const pg = postgresPids();
  const pids = bffs.map((b) => b.pid);
  const [before, pgBefore] = [totalCpuMs(pids), totalCpuMs(pg)];
  const results = await Promise.all(options.map((o) => autocannon(o)));
  const pgUsed = totalCpuMs(pg) - pgBefore;
  const used = totalCpuMs(pids) - before + pgUsed;
  const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
  return {
    requests,
    requestsPerSecond: Math.round(results.reduce((sum, r) => sum + r.requests.average, 0)),
    cpuMsPerRequest: used / requests,
    postgresCpuMsPerRequest: pgUsed / requests,
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
  };
}

export async function twoInstances(seconds = 5, connections = 50): Promise<TwoInstances> {
  const schema = await benchSchema();
  const empty = { requests: 0, requestsPerSecond: 0, cpuMsPerRequest: NaN, non2xx: 0, errors: 0 };
  if ('skipped' in schema) return { one: empty, two: empty, skipped: schema.skipped };
  const simulator = await startSimulator();
  const started: Server[] = [];
  try {
    for (let i = 0; i < 2; i++) started.push(await startBff(simulator.url, { DATABASE_URL: schema.url }));
    const one = await measure(started.slice(0, 1), seconds, connections);
    const two = await measure(started, seconds, connections);
    return { one, two };
  } finally {
    for (const server of [...started, simulator]) server.stop();
    await schema.drop().catch(() => {});
  }
}
