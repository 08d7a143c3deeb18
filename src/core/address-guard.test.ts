import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isForbiddenAddress } from './address-guard.js';
import { parseIp } from './ip-address.js';

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '100.127.255.255',
    '169.254.169.254', '169.254.0.1', '0.0.0.0', '0.1.2.3', '224.0.0.1', '239.255.255.250', '255.255.255.255', '240.0.0.1',
    '192.0.2.1', '198.18.0.1', '203.0.113.9',
    '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'fd00:ec2::254', 'ff02::1', 'fec0::1', '2001:db8::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:10.0.0.1', '::127.0.0.1', '::10.0.0.1',
    '64:ff9b::10.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::1', '2002:a00:1::', '2002:7f00:1::1', '[::1]',
    'localhost', 'not-an-ip', '',
  ])('refuses %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '100.128.0.1', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])('allows the public address %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });

  it('lets the operator allow ranges, including through IPv4-mapped forms', () => {
    expect(isForbiddenAddress('127.0.0.1', ['127.0.0.0/8'])).toBe(false);
    expect(isForbiddenAddress('::ffff:127.0.0.1', ['127.0.0.0/8'])).toBe(false);
    expect(isForbiddenAddress('::1', ['::1/128'])).toBe(false);
    expect(isForbiddenAddress('10.0.0.1', ['127.0.0.0/8'])).toBe(true);
    expect(isForbiddenAddress('10.9.8.7', ['10.9.0.0/16'])).toBe(false);
  });

  it('refuses every private IPv4 address in every IPv6 wrapping (property)', () => {
    const privateV4 = fc.oneof(
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
    );
    fc.assert(fc.property(privateV4, fc.constantFrom('', '::ffff:', '::', '64:ff9b::'), ([a, b, c, d], wrap) => {
      expect(isForbiddenAddress(`${wrap}${a}.${b}.${c}.${d}`)).toBe(true);
    }));
  });

  it('parses IPv6 the same whether written with or without a dotted tail (property)', () => {
    fc.assert(fc.property(fc.ipV4(), (v4) => {
      const [a, b, c, d] = v4.split('.').map(Number);
      const hex = `::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
      expect(parseIp(hex)).toEqual(parseIp(`::ffff:${v4}`));
      expect(isForbiddenAddress(hex)).toBe(isForbiddenAddress(v4));
    }));
  });
});
