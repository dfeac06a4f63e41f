import { Http } from '../lib/http';
import { accountDeliveries, Receiver } from './receiver';

describe('accountDeliveries', () => {
  it('counts acknowledged ids never received as lost and every repeat as duplicated', () => {
    const arrivals = new Map([
      ['a', 1],
      ['b', 3],
      ['d', 2],
    ]);
    const delivery = accountDeliveries({ acknowledged: new Set(['a', 'b', 'c']), unacknowledged: new Set(['d', 'e']) }, arrivals);
    expect(delivery).toEqual({ lost: 1, duplicated: 3, received_unacknowledged: 1, received: 6 });
  });

  it('ignores arrivals of ids the phase did not send, and an id acknowledged on a retry is not unacknowledged', () => {
    const arrivals = new Map([
      ['other-phase', 1],
      ['a', 1],
    ]);
    expect(accountDeliveries({ acknowledged: new Set(['a']), unacknowledged: new Set(['a']) }, arrivals)).toEqual({
      lost: 0,
      duplicated: 0,
      received_unacknowledged: 0,
      received: 1,
    });
  });
});

describe('Receiver', () => {
  it('records the first arrival and the count per id, and refuses bodies without an id', async () => {
    const receiver = await Receiver.start();
    const url = new URL(receiver.url);
    const http = new Http(url.hostname, Number(url.port), '');
    try {
      expect((await http.post('/action', { id: 'x', key: 'k' })).status).toBe(200);
      expect((await http.post('/action', { id: 'x', key: 'k' })).status).toBe(200);
      expect((await http.post('/action', { key: 'k' })).status).toBe(400);
      const first = await receiver.firsts.wait('x', 1000);
      expect(first).toBeGreaterThan(0);
      expect(receiver.lastArrivalAt()).toBeGreaterThanOrEqual(first);
      expect(receiver.arrivals().get('x')).toBe(2);
      expect(receiver.arrivals().size).toBe(1);
    } finally {
      http.close();
      await receiver.stop();
    }
  });
});
