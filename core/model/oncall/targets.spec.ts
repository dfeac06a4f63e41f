import { formatTarget, parseTarget } from './targets';

describe('parseTarget', () => {
  it.each([
    ['user:dana', { kind: 'user', id: 'dana' }],
    ['schedule:primary', { kind: 'schedule', id: 'primary' }],
    ['pagerduty:checkout-api', { kind: 'pagerduty', service: 'checkout-api' }],
    // Plain names are what policies held before on-call: still pager names.
    ['primary-on-call', { kind: 'pager', name: 'primary-on-call' }],
    ['Ops Duty Phone', { kind: 'pager', name: 'Ops Duty Phone' }],
  ])('reads %s', (text, target) => {
    expect(parseTarget(text)).toEqual(target);
    expect(formatTarget(parseTarget(text)!)).toBe(text);
  });

  it.each(['', '   ', 'user:', 'user:Dana', 'schedule:primary rota', 'pagerduty:', 'pagerduty:Checkout', 'shedule:primary', 'user:dana:x', 'x'.repeat(201)])(
    'refuses %j',
    (text) => {
      expect(parseTarget(text)).toBeUndefined();
    },
  );
});
