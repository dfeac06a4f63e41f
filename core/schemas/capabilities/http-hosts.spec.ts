import { addressKind, allowedBy, allowedHostProblem, forbiddenHost, parseAllowedHosts } from './http-hosts';

describe('where the HTTP step may go', () => {
  it('tells metadata, link-local and loopback addresses from the rest, however they are spelled', () => {
    expect(
      Object.fromEntries(
        [
          '169.254.169.254',
          '100.100.100.200',
          'fd00:ec2::254',
          '[FD00:EC2:0:0:0:0:0:254]',
          '::ffff:169.254.169.254',
          '::ffff:a9fe:a9fe',
          '64:ff9b::169.254.169.254',
          '169.254.0.1',
          'fe80::1',
          'febf::1',
          '127.0.0.1',
          '127.8.9.10',
          '0.0.0.0',
          '::1',
          '::',
          '::ffff:127.0.0.1',
          '10.0.0.7',
          '100.100.100.201',
          '2001:db8::1',
          'fec0::1',
        ].map((address) => [address, addressKind(address)]),
      ),
    ).toEqual({
      '169.254.169.254': 'metadata',
      '100.100.100.200': 'metadata',
      'fd00:ec2::254': 'metadata',
      '[FD00:EC2:0:0:0:0:0:254]': 'metadata',
      '::ffff:169.254.169.254': 'metadata',
      '::ffff:a9fe:a9fe': 'metadata',
      '64:ff9b::169.254.169.254': 'metadata',
      '169.254.0.1': 'link-local',
      'fe80::1': 'link-local',
      'febf::1': 'link-local',
      '127.0.0.1': 'loopback',
      '127.8.9.10': 'loopback',
      '0.0.0.0': 'loopback',
      '::1': 'loopback',
      '::': 'loopback',
      '::ffff:127.0.0.1': 'loopback',
      '10.0.0.7': 'other',
      '100.100.100.201': 'other',
      '2001:db8::1': 'other',
      'fec0::1': 'other',
    });
    for (const name of ['payments.internal', '256.1.1.1', '1.2.3', '1::2::3', 'fe80::1::', 'g::1']) expect(addressKind(name)).toBeUndefined();
  });

  it('never lets a metadata service be named, by address or by name', () => {
    expect(forbiddenHost('METADATA.google.internal.')).toBe('metadata.google.internal is a cloud metadata service');
    expect(forbiddenHost('[::ffff:169.254.169.254]')).toBe('::ffff:169.254.169.254 is a cloud metadata address');
    expect(forbiddenHost('169.254.10.1')).toMatch(/link-local/);
    expect(forbiddenHost('payments.internal')).toBeUndefined();
    expect(forbiddenHost('127.0.0.1')).toBeUndefined();
  });

  it('allows a host named exactly, or under a wildcard, and says which', () => {
    const allowed = parseAllowedHosts('payments.internal, *.ops.example.com, 127.0.0.1, [::1]');
    expect(allowedBy('Payments.Internal.', allowed)).toBe('exact');
    expect(allowedBy('a.ops.example.com', allowed)).toBe('wildcard');
    expect(allowedBy('a.b.ops.example.com', allowed)).toBe('wildcard');
    expect(allowedBy('ops.example.com', allowed)).toBeUndefined();
    expect(allowedBy('evilops.example.com', allowed)).toBeUndefined();
    expect(allowedBy('payments.internal.evil.com', allowed)).toBeUndefined();
    expect(allowedBy('127.0.0.1', allowed)).toBe('exact');
    expect(allowedBy('[0:0:0:0:0:0:0:1]', allowed)).toBe('exact');
    expect(allowedBy('127.0.0.2', allowed)).toBeUndefined();
  });

  it('checks each entry of the list', () => {
    expect(allowedHostProblem('payments.internal')).toBeUndefined();
    expect(allowedHostProblem('*.example.com')).toBeUndefined();
    expect(allowedHostProblem('[::1]')).toBeUndefined();
    expect(allowedHostProblem('*')).toMatch(/is not a host name/);
    expect(allowedHostProblem('*.com')).toMatch(/two labels or more/);
    expect(allowedHostProblem('-bad.example.com')).toMatch(/is not a host name/);
    expect(allowedHostProblem('https://payments.internal')).toMatch(/is not a host name/);
    expect(allowedHostProblem('169.254.169.254')).toMatch(/metadata address, which no HTTP step may reach/);
  });
});
