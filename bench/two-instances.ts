/**
 * Several instances on one PostgreSQL: server CPU per create (the BFFs' and all of PostgreSQL's
 * processes' added up) with one instance taking the load, then with two taking it together.
 * On 2 cores req/s says little; CPU per create, at the same offered load, says whether a second
 * instance costs extra.
 */
import autocannon from 'autocannon';
import { newOrders, type RouteLoad } from './load.js';
import { postgresCpuMs, totalCpuMs } from './process-stats.js';
import { benchSchema, startBff, startSimulator, type Server } from './servers.js';

export interface TwoInstances {
  /** The round with the median CPU per create, of `rounds`. */
  one: Pick<
    RouteLoad,
    | 'requests'
    | 'requestsPerSecond'
    | 'cpuMsPerRequest'
    | 'postgresCpuMsPerRequest'
    | 'non2xx'
    | 'errors'
  >;
  two: TwoInstances['one'];
  /** One instance taking what the two took: the machine's share of any difference. */
  oneAtTwiceTheLoad?: TwoInstances['one'];
  rounds?: number;
  /** Creates per second offered to each instance. */
  ratePerInstance?: number;
  skipped?: string;
}

const ROUNDS = 3;
const WARM_UP_SECONDS = 3;
/** Creates per second offered to each instance. */
const RATE_PER_INSTANCE = 200;

const medianByCpu = (runs: TwoInstances['one'][]) =>
  [...runs].sort((a, b) => a.cpuMsPerRequest - b.cpuMsPerRequest)[Math.floor(runs.length / 2)]!;

async function measure(
  bffs: Server[],
  postmasterPid: number,
  seconds: number,
  connections: number,
  ratePerInstance = RATE_PER_INSTANCE,
): Promise<TwoInstances['one']> {
  // Each instance gets the same offered load, below what it can take, whether it runs alone or
  // beside another: at saturation, 2 cores shared by five processes say more about the machine
  // than about what a second instance costs.
  const options = bffs.map((bff, i) =>
    newOrders(
      bff.url,
      {
        connections: Math.round(connections / bffs.length),
        duration: seconds,
        overallRate: ratePerInstance,
      },
      `${bffs.length}-${i}-${Date.now()}`,
    ),
  );
  // A longer warm-up than the routes': an instance idle for 10 s has let its PostgreSQL
  // connections go, and opening them again (a backend each) is not what a create costs.
  await Promise.all(options.map((o) => autocannon({ ...o, duration: WARM_UP_SECONDS })));
  const pids = bffs.map((b) => b.pid);
  const [before, pgBefore] = [totalCpuMs(pids), postgresCpuMs(postmasterPid)];
  const results = await Promise.all(options.map((o) => autocannon(o)));
  const pgUsed = postgresCpuMs(postmasterPid) - pgBefore;
  const used = totalCpuMs(pids) - before + pgUsed;
  const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
  return {
    requests,
    requestsPerSecond: Math.round(results.reduce((sum, r) => sum + r.requests.average, 0)),
    cpuMsPerRequest: used / requests,
    postgresCpuMsPerRequest: pgUsed / requests,
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}

export async function twoInstances(seconds = 4, connections = 50): Promise<TwoInstances> {
  const schema = await benchSchema();
  const empty = { requests: 0, requestsPerSecond: 0, cpuMsPerRequest: NaN, non2xx: 0, errors: 0 };
  if ('skipped' in schema) return { one: empty, two: empty, skipped: schema.skipped };
  const simulator = await startSimulator();
  const started: Server[] = [];
  try {
    for (let i = 0; i < 2; i++)
      started.push(await startBff(simulator.url, { DATABASE_URL: schema.url }));
    // Alternated, and the median of each kept: on 2 cores, two BFFs, PostgreSQL, the simulator
    // and the load generator share the machine, and one run of each moves by a fifth.
    const ones: TwoInstances['one'][] = [];
    const twos: TwoInstances['one'][] = [];
    const oneAtTwice: TwoInstances['one'][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ones.push(await measure(started.slice(0, 1), schema.postmasterPid, seconds, connections));
      twos.push(await measure(started, schema.postmasterPid, seconds, connections));
      oneAtTwice.push(
        await measure(
          started.slice(0, 1),
          schema.postmasterPid,
          seconds,
          connections,
          2 * RATE_PER_INSTANCE,
        ),
      );
    }
    return {
      one: medianByCpu(ones),
      two: medianByCpu(twos),
      oneAtTwiceTheLoad: medianByCpu(oneAtTwice),
      rounds: ROUNDS,
      ratePerInstance: RATE_PER_INSTANCE,
    };
  } finally {
    for (const server of [...started, simulator]) server.stop();
    await schema.drop().catch(() => {});
  }
}
