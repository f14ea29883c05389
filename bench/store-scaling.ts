/**
 * Cost with the store's size: the same routes on a SQLite store holding 100 checkouts and one
 * holding 100,000 (with their Idempotency-Keys), each copied from a real paid checkout the BFF
 * made, with ids, orders, references and payments of their own.
 */
import Database from 'better-sqlite3';
import { drive, fromPayers, newOrders, type RouteLoad } from './load.js';
import { bffEnv, paidCheckout, startBff, startSimulator } from './servers.js';

export interface StoreScaling {
  sizes: number[];
  /** Per route: its load at each size, in `sizes` order. */
  routes: { route: string; loads: RouteLoad[] }[];
}

function fill(path: string, checkouts: number): void {
  const db = new Database(path);
  try {
    const template = db
      .prepare(`SELECT * FROM checkouts WHERE status = 'paid' LIMIT 1`)
      .get() as Record<string, unknown>;
    const columns = Object.keys(template);
    const insert = db.prepare(
      `INSERT INTO checkouts (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    const key = db.prepare(
      `INSERT INTO idempotency_keys (key, fingerprint, checkout_id, created_at) VALUES (?, ?, ?, ?)`,
    );
    const existing = (db.prepare(`SELECT COUNT(*) AS n FROM checkouts`).get() as { n: number }).n;
    db.transaction(() => {
      for (let i = existing; i < checkouts; i++) {
        const id = `fill${String(i).padStart(18, '0')}`;
        const at = new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString();
        insert.run({
          ...template,
          id,
          order_key: `catalog:licence-renewal:FILL-${i}`,
          reference_id: `FILL-${i}`,
          paysg_idempotency_key: `paysg-checkout:${id}:create`,
          payment_id: `fill-payment-${i}`,
          created_at: at,
          updated_at: at,
        });
        key.run(`fill-key-${i}`, 'f'.repeat(64), id, at);
      }
    })();
  } finally {
    db.close();
  }
}

export async function storeScaling(
  sizes = [100, 100_000],
  seconds = 4,
  connections = 50,
): Promise<StoreScaling> {
  const simulator = await startSimulator();
  const routes: StoreScaling['routes'] = [
    { route: 'GET /paysg/quote', loads: [] },
    { route: 'GET /paysg/checkouts/{id} (paid)', loads: [] },
    { route: 'POST /paysg/checkouts (new order)', loads: [] },
  ];
  try {
    for (const size of sizes) {
      const env = bffEnv(simulator.url);
      // A first BFF makes the schema and one real paid checkout, the template for the rest.
      const first = await startBff(simulator.url, env);
      const paid = await paidCheckout(first.url, simulator.url);
      first.stop();
      await new Promise((resolve) => first.child.once('exit', resolve));
      fill(env.DATABASE_PATH!, size);
      const bff = await startBff(simulator.url, env);
      try {
        const base = { connections, duration: seconds };
        routes[0]!.loads.push(
          await drive(routes[0]!.route, {
            ...fromPayers(`${bff.url}/paysg/quote?item=licence-renewal`, base),
            pids: [bff.pid],
          }),
        );
        routes[1]!.loads.push(
          await drive(routes[1]!.route, {
            ...fromPayers(`${bff.url}/paysg/checkouts/${paid}`, base),
            pids: [bff.pid],
          }),
        );
        routes[2]!.loads.push(
          await drive(routes[2]!.route, {
            ...newOrders(bff.url, base, `size${size}`),
            pids: [bff.pid],
          }),
        );
      } finally {
        bff.stop();
      }
    }
  } finally {
    simulator.stop();
  }
  return { sizes, routes };
}
