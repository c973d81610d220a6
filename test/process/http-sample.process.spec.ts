import { afterEach, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { join } from 'node:path';
import { WorkerProcess } from './spawn-worker';

const HTTP_SAMPLE = join(__dirname, '..', '..', 'dist-sample', 'sample', 'http', 'main.js');

let worker: WorkerProcess | undefined;
afterEach(() => worker?.dispose());

/** What one request got: a response, or the error code of a connection that failed. */
interface Outcome {
  status?: number;
  retryAfter?: string;
  body?: unknown;
  error?: string;
}

/** One request on its own connection (no keep-alive), bounded by 3 s. Never rejects. */
function send(port: number, method: 'GET' | 'POST', path: string, body?: object): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: body ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({
            status: res.statusCode,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
            body: JSON.parse(text || 'null'),
          });
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.setTimeout(3_000, () => req.destroy(new Error('timed out')));
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** Starts the sample on a free port (PORT=0) and reads the port it logs. */
async function start(env: Record<string, string>): Promise<{ worker: WorkerProcess; port: number }> {
  const spawned = new WorkerProcess(HTTP_SAMPLE, { PORT: '0', SUMMARY_MS: '100', ...env }, 10_000);
  worker = spawned;
  const line = await spawned.waitFor(/Listening on http:\/\/localhost:\d+/);
  return { worker: spawned, port: Number(/localhost:(\d+)/.exec(line)![1]) };
}

interface Posted {
  id: string;
  /** The stop had begun (its log line was seen) before this request was sent. */
  afterStop: boolean;
  outcome: Outcome;
}

/**
 * POSTs `count` orders, `parallel` at a time, recording each in `posted`; `onAccepted` sees the running number of 202s.
 * `stopped()` says whether the stop has begun, as the test knows it.
 */
async function postOrders(
  port: number,
  count: number,
  parallel: number,
  posted: Posted[],
  stopped: () => boolean,
  onAccepted?: (n: number) => void,
): Promise<Posted[]> {
  let next = 0;
  let accepted = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const id = `o-${next++}`;
      const afterStop = stopped();
      const outcome = await send(port, 'POST', '/orders', { id });
      posted.push({ id, afterStop, outcome });
      if (outcome.status === 202) onAccepted?.(++accepted);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return posted;
}

function matches(lines: string[], re: RegExp): RegExpExecArray[] {
  return lines.map((l) => re.exec(l)).filter((m): m is RegExpExecArray => m !== null);
}

const PERSISTED = /\[OrdersRepository\] Order (\S+) persisted \(unit of work (\d+)\)/;
const HANDED_BACK = /\[Orders\] handed back order (\S+) \((shutdown|forced|dropped)/;

describe('http sample under SIGTERM (real process)', () => {
  it('refuses new orders with 503 during the drain, answers reads until Nest closes the server, and accounts for every 202 by id', async () => {
    // 2 lanes x 40 ms: about 20 ms an order, so the orders accepted by the time of the signal need
    // well over the 600 ms budget: the deadline cuts the drain, and the rest is handed back.
    const { worker, port } = await start({ PERSIST_MS: '40', CONCURRENCY: '2', SHUTDOWN_MS: '600' });
    let stopSeen = false;
    const posted: Posted[] = [];
    // As soon as the stop shows in the log (the drain has begun): a new order gets 503 with
    // Retry-After; a read of an accepted order is still answered.
    const duringDrain = worker.waitFor(/Stopping hosted services \(received SIGTERM\)/).then(async () => {
      stopSeen = true;
      const accepted = posted.find((p) => p.outcome.status === 202)!.id;
      return Promise.all([send(port, 'POST', '/orders', { id: 'late' }), send(port, 'GET', `/orders/${accepted}`)]);
    });
    // SIGTERM mid-batch, once 80 orders are in: the rest of the batch races the stop.
    await postOrders(
      port,
      200,
      8,
      posted,
      () => stopSeen,
      (n) => n === 80 && worker.signal('SIGTERM'),
    );
    const [late, read] = await duringDrain;
    expect(late).toMatchObject({ status: 503, retryAfter: '5' });
    expect(read.status).toBe(200);
    expect(['queued', 'done', 'handed-back']).toContain((read.body as { state: string }).state);

    const exit = await worker.exited;
    // After the exit, the port refuses connections.
    expect(await send(port, 'POST', '/orders', { id: 'after-exit' })).toEqual({ error: 'ECONNREFUSED' });

    // Every request got 202 or 503, or (once the stop had begun) a refused or reset connection.
    for (const { afterStop, outcome } of posted) {
      if (afterStop) expect([503, 'ECONNREFUSED', 'ECONNRESET']).toContain(outcome.status ?? outcome.error);
      else expect([202, 503]).toContain(outcome.status);
      if (outcome.status === 503) expect(outcome.retryAfter).toBe('5');
    }
    expect(posted.some((p) => p.afterStop && p.outcome.status === 503)).toBe(true); // the race was exercised

    // Every 202 was persisted or handed back ('shutdown', at the deadline), exactly once, by id.
    const accepted = posted.filter((p) => p.outcome.status === 202).map((p) => p.id);
    const done = matches(worker.lines, PERSISTED).map((m) => m[1]);
    const handedBack = matches(worker.lines, HANDED_BACK);
    expect(handedBack.map((m) => m[2]).filter((reason) => reason !== 'shutdown')).toEqual([]);
    const returned = handedBack.map((m) => m[1]);
    expect(done.length).toBeGreaterThan(0);
    expect(returned.length).toBeGreaterThan(0); // the deadline cut the drain short
    expect([...done, ...returned].sort()).toEqual([...accepted].sort()); // each exactly once
    expect(worker.output).toContain(
      `Queue "default" stopped: accepted ${accepted.length} = ${done.length} succeeded + 0 failed + ${returned.length} handed back`,
    );
    expect(worker.output).toMatch(/\[QueueSummary\] accepted \d+, done \d+, pending \d+, running \d+, handed back \d+/);

    // In order: the hosted services stop (the queue drains), then Nest closes the HTTP server.
    const order = [
      /Stopping hosted services/,
      /Queue "default" stopped/,
      /Stopped hosted services/,
      /closing the HTTP server/,
      /HTTP server closed/,
    ];
    const at = order.map((re) => worker.indexOf(re));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The queue handed its items back at the deadline and stopped: a clean stop, ended by the signal.
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(exit.ms).toBeLessThan(600 + 1_000); // the deadline, then Nest's teardown: a few ms
  }, 15_000);

  it('a second SIGTERM during the drain exits 143, every 202 persisted or handed back as forced', async () => {
    const { worker, port } = await start({ PERSIST_MS: '40', CONCURRENCY: '2', SHUTDOWN_MS: '10000' });
    const posted = await postOrders(port, 150, 8, [], () => false);
    const accepted = posted.filter((p) => p.outcome.status === 202).map((p) => p.id);
    expect(accepted).toHaveLength(150);

    worker.signal('SIGTERM');
    await worker.waitFor(/Stopping hosted services/);
    expect(await send(port, 'POST', '/orders', { id: 'late' })).toMatchObject({ status: 503, retryAfter: '5' });
    // Items start in FIFO order, each in a new unit of work: wait for the one 24 units later to be
    // persisted (about 0.5 s, well past the 250 ms in which a repeated signal counts as the same).
    const units = matches(worker.lines, PERSISTED).map((m) => Number(m[2]));
    const target = Math.max(...units) + 24;
    expect(target).toBeLessThan(150); // the drain is still far from done
    await worker.waitFor(new RegExp(`persisted \\(unit of work ${target}\\)`));
    worker.signal('SIGTERM');
    const exit = await worker.exited;

    expect(exit).toMatchObject({ code: 128 + 15 }); // forced by SIGTERM
    expect(await send(port, 'POST', '/orders', { id: 'after-exit' })).toEqual({ error: 'ECONNREFUSED' });

    const done = matches(worker.lines, PERSISTED).map((m) => m[1]);
    const handedBack = matches(worker.lines, HANDED_BACK);
    expect(handedBack.map((m) => m[2]).filter((reason) => reason !== 'forced')).toEqual([]);
    const forced = handedBack.map((m) => m[1]);
    expect(forced.length).toBeGreaterThan(0);
    expect([...done, ...forced].sort()).toEqual([...accepted].sort()); // each exactly once
    // The queue's own error line names every forced order, before the process ends.
    const line = worker.lines.find((l) =>
      l.includes(`Queue "default": forced exit by SIGTERM: ${forced.length} work item(s) not completed`),
    );
    expect(line).toBeDefined();
    for (const id of forced) expect(line).toMatch(new RegExp(`\\b${id}\\b`));
    // Nest's teardown never got as far as closing the server: the forced exit ended the process.
    expect(worker.output).not.toContain('HTTP server closed');
  }, 15_000);

  it('a request stalled mid-body cannot hold the process: runHost abandons the teardown at shutdownTimeout + 1 s and exits 124', async () => {
    const { worker, port } = await start({ SHUTDOWN_MS: '500' });
    // A client that sends half a body and then nothing: Node's server.close() waits for it.
    const stalled = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/orders',
      agent: false,
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    stalled.on('error', () => undefined); // reset when the process ends
    await new Promise<void>((resolve) => stalled.write('{"id":', () => resolve()));
    // A full round trip on another connection: by then the server has parsed the stalled headers.
    expect(await send(port, 'GET', '/orders/none')).toMatchObject({ status: 404 });
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    stalled.destroy();
    expect(exit).toMatchObject({ code: 124, signal: null });
    expect(exit.ms).toBeLessThan(500 + 1_000 + 1_000);
    expect(worker.output).toMatch(/The Nest application did not close within 1500ms/);
    expect(worker.output).not.toContain('HTTP server closed');
  }, 15_000);
});
