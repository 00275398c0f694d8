import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One listening TCP socket, as /proc/net/tcp or /proc/net/tcp6 lists it. */
export interface ListeningSocket {
  /** The address it is bound to, readable: `127.0.0.1`, `0.0.0.0`, `::`, `::ffff:127.0.0.1`, `::1`. */
  address: string;
  port: number;
  inode: string;
}

/** TCP state 0A: LISTEN. */
const LISTEN = '0A';

/**
 * The listening sockets in the text of /proc/net/tcp or /proc/net/tcp6: each line's local
 * address is hex (the IPv4 or IPv6 address as 32-bit words in host byte order, little-endian
 * on the machines this runs on) and a hex port; the tenth column is the socket's inode.
 */
export function parseProcNetTcp(text: string): ListeningSocket[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((columns) => columns.length > 9 && columns[3] === LISTEN)
    .map((columns) => {
      const [hexAddress, hexPort] = (columns[1] as string).split(':') as [string, string];
      return {
        address: readableAddress(hexAddress),
        port: Number.parseInt(hexPort, 16),
        inode: columns[9] as string,
      };
    });
}

/** `0100007F` → `127.0.0.1`; 32 hex digits → an IPv6 address (`::ffff:127.0.0.1` for a mapped one). */
function readableAddress(hex: string): string {
  const bytes = (word: string) =>
    (word.match(/../g) ?? []).reverse().map((pair) => Number.parseInt(pair, 16));
  if (hex.length === 8) return bytes(hex).join('.');
  const all = (hex.match(/.{8}/g) ?? []).flatMap(bytes);
  const isMapped = all.slice(0, 10).every((byte) => byte === 0) && all[10] === 0xff && all[11] === 0xff;
  if (isMapped) return `::ffff:${all.slice(12).join('.')}`;
  if (all.every((byte) => byte === 0)) return '::';
  if (all.slice(0, 15).every((byte) => byte === 0) && all[15] === 1) return '::1';
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((all[i] as number) << 8) | (all[i + 1] as number)).toString(16));
  return groups.join(':');
}

/** Whether an address reaches only this machine. */
export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

/** `pid` and every process descended from it (children, their children…), read from /proc. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command may hold spaces and parentheses: the fields after its closing one are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), parent);
    } catch {
      // The process ended while the list was read.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/** The inodes of the sockets `pid` holds open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let descriptors: string[] = [];
  try {
    descriptors = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const descriptor of descriptors) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${descriptor}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // Closed meanwhile.
    }
  }
  return inodes;
}

/** Every TCP socket listening in `pids`, IPv4 and IPv6, with the process holding it. */
export function listeningSocketsOf(pids: readonly number[]): (ListeningSocket & { pid: number })[] {
  const listening = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    parseProcNetTcp(readFileSync(file, 'utf8')),
  );
  return pids.flatMap((pid) => {
    const owned = socketInodes(pid);
    return listening.filter((socket) => owned.has(socket.inode)).map((socket) => ({ ...socket, pid }));
  });
}
