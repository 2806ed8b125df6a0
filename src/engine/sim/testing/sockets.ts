import { spawn, type ChildProcess } from 'node:child_process';

// Small Python programs standing in for servers and clients in the lab namespaces: each
// server prints what its socket saw, each client exits 0 when it got its answer.

const LISTENERS = {
  tcp: `import socket,sys
s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind((sys.argv[1],int(sys.argv[2])));s.listen()
print('up',flush=True)
c,a=s.accept();l=c.getsockname();print('%s:%d %s:%d'%(a[0],a[1],l[0],l[1]),flush=True);c.close()`,
  udp: `import socket,sys
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind((sys.argv[1],int(sys.argv[2])))
s.setsockopt(socket.IPPROTO_IP,8,1)  # IP_PKTINFO: the address the datagram was sent to
print('up',flush=True)
d,anc,_,a=s.recvmsg(2048,256);dst=socket.inet_ntoa(anc[0][2][8:12])
print('%s:%d %s:%s'%(a[0],a[1],dst,sys.argv[2]),flush=True);s.sendto(d,a)`,
  icmp: `import socket
s=socket.socket(socket.AF_INET,socket.SOCK_RAW,socket.IPPROTO_ICMP)
print('up',flush=True)
while True:
  d,a=s.recvfrom(2048)
  if d[20]==8: print('%s %s'%(socket.inet_ntoa(d[12:16]),socket.inet_ntoa(d[16:20])),flush=True);break`,
};

export const CLIENTS = {
  tcp: `import socket,sys
c=socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=float(sys.argv[3]));c.close()`,
  udp: `import socket,sys
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.settimeout(float(sys.argv[3]))
s.sendto(b'x'*32,(sys.argv[1],int(sys.argv[2])));s.recvfrom(2048)`,
  icmp: `import socket,struct,sys
def ck(b):
  t=sum(struct.unpack('!%dH'%(len(b)//2),b));t=(t>>16)+(t&0xffff);t+=t>>16;return ~t&0xffff
s=socket.socket(socket.AF_INET,socket.SOCK_RAW,socket.IPPROTO_ICMP);s.settimeout(float(sys.argv[3]))
p=struct.pack('!BBHHH',8,0,0,0x4242,1)+b'x'*56;p=p[:2]+struct.pack('!H',ck(p))+p[4:]
s.sendto(p,(sys.argv[1],0))
while True:
  d,a=s.recvfrom(2048)
  if d[20]==0 and d[24:26]==b'\\x42\\x42': break`,
};

/** A listening process in a namespace; `seen` is what its socket saw ("SRC DST"). */
export class Listener {
  private out = '';
  readonly proc: ChildProcess;
  constructor(ns: string, proto: 'tcp' | 'udp' | 'icmp', ip = '0.0.0.0', port = 0) {
    this.proc = spawn('ip', [
      'netns',
      'exec',
      ns,
      'python3',
      '-c',
      LISTENERS[proto],
      ip,
      `${port}`,
    ]);
    this.proc.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.proc.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
  }
  /** What the listener wrote to stderr (a Python traceback when it failed). */
  err = '';
  up(): boolean {
    return this.out.startsWith('up\n');
  }
  seen(): string | null {
    const line = this.out.split('\n')[1];
    return line ? line : null;
  }
  stop(): void {
    if (this.proc.exitCode === null) this.proc.kill();
  }
}
