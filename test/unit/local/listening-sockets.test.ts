import { describe, expect, it } from 'vitest';
import { isLoopback, parseProcNetTcp } from '../../support/listening-sockets.ts';

// Lines as Linux writes them (header, then one socket a line); only LISTEN (0A) lines count.
const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1002 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1F90 0100007F:A2C4 01 00000000:00000000 00:00000000 00000000     0        0 1003 1 0000000000000000 20 4 30 10 -1
`;
const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0000000000000000FFFF00000100007F:4A9B 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000000000000:1F40 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2002 1 0000000000000000 100 0 0 10 0
   2: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2003 1 0000000000000000 100 0 0 10 0
`;

describe('reading listening sockets from /proc/net', () => {
  it('reads IPv4 listeners, skipping connected sockets', () => {
    expect(parseProcNetTcp(tcp)).toEqual([
      { address: '127.0.0.1', port: 8080, inode: '1001' },
      { address: '0.0.0.0', port: 22, inode: '1002' },
    ]);
  });

  it('reads IPv6 listeners: mapped IPv4, the wildcard and ::1', () => {
    expect(parseProcNetTcp(tcp6)).toEqual([
      { address: '::ffff:127.0.0.1', port: 19099, inode: '2001' },
      { address: '::', port: 8000, inode: '2002' },
      { address: '::1', port: 631, inode: '2003' },
    ]);
  });

  it('tells loopback from every interface, so a wildcard listener fails the stack’s check', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true]);
    expect(['0.0.0.0', '::', '::ffff:0.0.0.0', '10.0.0.5'].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
