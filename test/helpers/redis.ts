/**
 * The Redis the rate-limit tests share counts in: `REDIS_TEST_URL`, or 127.0.0.1:6379, which
 * `bash .ci/run` starts. Tests skip with the reason when it does not answer.
 */
import { Redis } from 'ioredis';

export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** `false` when Redis answers, else the reason to skip. */
export async function redisUnavailable(): Promise<string | false> {
  const client = new Redis(REDIS_TEST_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return false;
  } catch (err) {
    // The host only: the URL may hold a password, and this line goes to CI's log.
    const reason = `Redis is not reachable at ${new URL(REDIS_TEST_URL).host} (${(err as Error).message}); start it or set REDIS_TEST_URL. bash .ci/run starts one.`;
    console.log(`# skipped: ${reason}`);
    return reason;
  } finally {
    client.disconnect();
  }
}
