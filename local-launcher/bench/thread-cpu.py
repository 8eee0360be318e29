#!/usr/bin/env python3
# thread-cpu.py snap FILE PID | diff FILE PID N: CPU per donation (N donations) of one JVM by thread-name group, of the PostgreSQL processes and of the load generator, from /proc
import os, sys, json, re
HZ = os.sysconf('SC_CLK_TCK')
def grp(name):
    name = re.sub(r'[-#]?\d+$', '', name)
    name = re.sub(r'\d+', 'N', name)
    return name
def snap(pid):
    g = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            st = open(f'/proc/{pid}/task/{tid}/stat').read()
            name = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
        except Exception: continue
        f = st[st.rindex(')')+2:].split()
        t = (int(f[11]) + int(f[12])) / HZ
        k = 'jvm:' + grp(name); g[k] = g.get(k, 0) + t
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try:
            st = open(f'/proc/{p}/stat').read(); cmd = open(f'/proc/{p}/cmdline').read().replace('\0',' ')
        except Exception: continue
        f = st[st.rindex(')')+2:].split(); t = (int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])) / HZ
        if 'DonationLoad' in cmd: k = 'generator'
        elif cmd.startswith('postgres:'):
            k = 'pg:' + ('app' if 'amply' in cmd and '127.0.0.1' in cmd else cmd.split()[1])
        else: continue
        g[k] = g.get(k, 0) + t
    return g
if sys.argv[1] == 'snap':
    json.dump(snap(sys.argv[3]), open(sys.argv[2], 'w'))
else:
    a = json.load(open(sys.argv[2])); b = snap(sys.argv[3]); n = float(sys.argv[4])
    d = {k: (b.get(k,0)-a.get(k,0))*1000/n for k in set(a)|set(b)}
    tot = sum(d.values())
    print(f'total {tot:.2f} ms per donation')
    for k, v in sorted(d.items(), key=lambda x: -x[1]):
        if v >= 0.05: print(f'{v:7.2f}  {k}')
