"""Shares of records acknowledged within each bound, between two scrapes of a delay timer's
Prometheus buckets (amply.kafka.publish.delay, exact cumulative counts per bound):

    python3 delay-shares.py "$BEFORE" "$AFTER" 0.1 0.25 0.5 1.0   ->   100 ms: 97.10 % · 250 ms: …
"""
import re
import sys


def parse(text):
    out = {}
    for line in text.splitlines():
        m = re.search(r'(_count|le="([0-9.]+)").*\} ([0-9.E+]+)$', line)
        if m:
            out['count' if m.group(1) == '_count' else m.group(2)] = float(m.group(3))
    return out


before, after = parse(sys.argv[1]), parse(sys.argv[2])
n = after.get('count', 0) - before.get('count', 0)
print(' · '.join(f"{float(le) * 1000:.0f} ms: {100 * (after[le] - before.get(le, 0)) / n:.2f} %"
                 for le in sys.argv[3:] if le in after) if n else '(no records in the timer)')
