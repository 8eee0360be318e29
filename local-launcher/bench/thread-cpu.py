#!/usr/bin/env python3
# thread-cpu.py snap FILE PID | diff FILE PID N: CPU per donation (N donations) of one JVM by thread-name group, of the PostgreSQL processes and of the load generator, from /proc;
# then, the same groups' context switches per donation (voluntary + involuntary, /proc/…/status)
import os, sys, json, re
HZ = os.sysconf('SC_CLK_TCK')
def grp(name):
    name = re.sub(r'[-#]?\d+$', '', name)
    name = re.sub(r'\d+', 'N', name)
    return name
def switches(path):  # voluntary_ctxt_switches + nonvoluntary_ctxt_switches
    return sum(int(line.split()[1]) for line in open(path) if line.split(':')[0].endswith('ctxt_switches'))
def snap(pid):
    g = {}
    def add(k, t, cs):
        g[k] = g.get(k, 0) + t; g['cs:' + k] = g.get('cs:' + k, 0) + cs
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            st = open(f'/proc/{pid}/task/{tid}/stat').read()
            name = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
            cs = switches(f'/proc/{pid}/task/{tid}/status')
        except Exception: continue
        f = st[st.rindex(')')+2:].split()
        add('jvm:' + grp(name), (int(f[11]) + int(f[12])) / HZ, cs)
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try:
            st = open(f'/proc/{p}/stat').read(); cmd = open(f'/proc/{p}/cmdline').read().replace('\0',' ')
            cs = switches(f'/proc/{p}/status')  # a process's own: for the generator, its main thread only
        except Exception: continue
        f = st[st.rindex(')')+2:].split(); t = (int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])) / HZ
        if 'DonationLoad' in cmd: k = 'generator'
        elif cmd.startswith('postgres:'):
            k = 'pg:' + ('app' if 'amply' in cmd and '127.0.0.1' in cmd else cmd.split()[1])
        else: continue
        add(k, t, cs)
    return g
if sys.argv[1] == 'snap':
    json.dump(snap(sys.argv[3]), open(sys.argv[2], 'w'))
else:
    a = json.load(open(sys.argv[2])); b = snap(sys.argv[3]); n = float(sys.argv[4])
    keys = set(a) | set(b)
    d = {k: (b.get(k,0)-a.get(k,0))*1000/n for k in keys if not k.startswith('cs:')}
    c = {k[3:]: (b.get(k,0)-a.get(k,0))/n for k in keys if k.startswith('cs:')}  # a group's threads that ended in between are not counted
    print(f'total {sum(d.values()):.2f} ms per donation')
    for k, v in sorted(d.items(), key=lambda x: -x[1]):
        if v >= 0.05: print(f'{v:7.2f}  {k}')
    print(f'context switches per donation: {sum(c.values()):.1f} in these groups')
    for k, v in sorted(c.items(), key=lambda x: -x[1]):
        if v >= 0.5: print(f'{v:7.1f}  {k}')
