#!/usr/bin/env python3
# jfr-waits.py RECORDING.jfr [N]: threads waiting to enter a monitor (JFR's jdk.JavaMonitorEnter, recorded
# from 10 ms up by settings=profile) — how many waits, how long in all, and the N (default 10) biggest
# groups by thread group, monitor class and the two innermost frames. Record with, e.g.:
#   jcmd <pid> JFR.start name=w settings=profile filename=/tmp/w.jfr   # the load, then: jcmd <pid> JFR.stop name=w
import collections, json, re, subprocess, sys

recording = sys.argv[1]; top = int(sys.argv[2]) if len(sys.argv) > 2 else 10
out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '4', '--events', 'jdk.JavaMonitorEnter', recording],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(out)['recording']['events']

def seconds(duration):  # ISO-8601 as jfr prints it, e.g. PT0.0123S
    m = re.fullmatch(r'PT(?:(\d+)M)?([\d.]+)S', duration)
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) if m else 0.0

count = collections.Counter(); blocked = collections.Counter()
for e in events:
    v = e['values']
    thread = re.sub(r'[-#]?\d+.*$', '', v['eventThread']['javaName'] or '?')
    monitor = (v.get('monitorClass') or {}).get('name', '?').split('/')[-1]
    frames = ' < '.join(f['method']['type']['name'].split('/')[-1] + '.' + f['method']['name']
                        for f in v['stackTrace']['frames'][:2])
    key = (thread, monitor, frames)
    count[key] += 1; blocked[key] += seconds(v['duration'])
print(f'{len(events)} waits, {sum(blocked.values()):.1f} s blocked in all')
for key, n in count.most_common(top):
    print(f'{n:6d} {blocked[key]:7.1f} s  {key[0]} | {key[1]} | {key[2]}')
