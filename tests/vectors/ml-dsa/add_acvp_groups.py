#!/usr/bin/env python3
"""Adds to siggen.json and sigver.json the ACVP groups the first cut left out, so that every group of the
upstream v1.1.0.43 files has cases here: sigGen HashML-DSA (tgId 2, 4, 6, 14, 16, 18) and hedged
internal (19-24), sigVer HashML-DSA (2, 4, 6) and externalMu (7, 9, 11).

Usage: add_acvp_groups.py UPSTREAM_DIR, where UPSTREAM_DIR holds the decompressed
ML-DSA-sigGen-FIPS204/{prompt,expectedResults}.json and ML-DSA-sigVer-FIPS204/internalProjection.json
(sha256 in README.md). The selection is deterministic: cases in tcId order, preferring hash functions
not chosen yet (so all twelve appear) and, for sigVer, both verdicts and every tamper reason.
Running it twice changes nothing: groups already present are left alone.
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
SIGGEN_PER_PREHASH_GROUP = 3
SIGGEN_PER_HEDGED_INTERNAL_GROUP = 1
SIGVER_PER_GROUP = 4


def pick(tests, count, key):
    """Greedy: each next case is the first (in tcId order) with the most features not picked yet."""
    chosen, seen = [], set()
    rest = sorted(tests, key=lambda t: t['tcId'])
    while rest and len(chosen) < count:
        best = max(rest, key=lambda t: (len(key(t) - seen), -t['tcId']))
        chosen.append(best)
        seen |= key(best)
        rest.remove(best)
    return sorted(chosen, key=lambda t: t['tcId'])


def flat(group, test, fields):
    case = {'parameterSet': group['parameterSet'], 'tgId': group['tgId'], 'tcId': test['tcId'],
            'signatureInterface': group['signatureInterface']}
    # ACVP writes preHash "none" on internal groups and externalMu false on external ones: neither is kept.
    names = ('externalMu', 'deterministic') if group['signatureInterface'] == 'internal' else ('preHash', 'deterministic')
    for name in names:
        if name in group:
            case[name] = group[name]
    for name in fields:
        if name in test:
            case[name] = test[name]
    return case


def main(upstream):
    upstream = Path(upstream)
    prompt = json.loads((upstream / 'ML-DSA-sigGen-FIPS204' / 'prompt.json').read_text())
    results = json.loads((upstream / 'ML-DSA-sigGen-FIPS204' / 'expectedResults.json').read_text())
    signatures = {(g['tgId'], t['tcId']): t['signature'] for g in results['testGroups'] for t in g['tests']}
    siggen_path = HERE / 'siggen.json'
    siggen = json.loads(siggen_path.read_text())
    present = {c['tgId'] for c in siggen['cases']}
    hashes_seen = set()
    for group in prompt['testGroups']:
        if group['tgId'] in present:
            continue
        if group.get('preHash') == 'preHash':
            chosen = pick(group['tests'], SIGGEN_PER_PREHASH_GROUP, lambda t: {t['hashAlg']} - hashes_seen)
            hashes_seen |= {t['hashAlg'] for t in chosen}
        else:
            chosen = pick(group['tests'], SIGGEN_PER_HEDGED_INTERNAL_GROUP, lambda t: set())
        for test in chosen:
            case = flat(group, test, ('hashAlg', 'context', 'message', 'mu', 'rnd', 'sk'))
            case['signature'] = signatures[(group['tgId'], test['tcId'])]
            siggen['cases'].append(case)
    siggen['omitted'] = 'most tests of each group; every group has cases (see README)'
    siggen['cases'].sort(key=lambda c: (c['tgId'], c['tcId']))
    siggen_path.write_text(json.dumps(siggen, indent=1))

    projection = json.loads((upstream / 'ML-DSA-sigVer-FIPS204' / 'internalProjection.json').read_text())
    sigver_path = HERE / 'sigver.json'
    sigver = json.loads(sigver_path.read_text())
    present = {c['tgId'] for c in sigver['cases']}
    for group in projection['testGroups']:
        if group['tgId'] in present:
            continue
        chosen = pick(group['tests'], SIGVER_PER_GROUP,
                      lambda t: {('verdict', t['testPassed']), ('reason', t['reason']), ('hash', t['hashAlg'])})
        for test in chosen:
            fields = ['pk', 'message', 'mu', 'signature', 'testPassed', 'reason']
            if group['signatureInterface'] == 'external':
                fields[1:1] = ['context']
            if group.get('preHash') == 'preHash':
                fields.insert(0, 'hashAlg')
            sigver['cases'].append(flat(group, test, fields))
    sigver['cases'].sort(key=lambda c: (c['tgId'], c['tcId']))
    sigver_path.write_text(json.dumps(sigver, indent=1))


if __name__ == '__main__':
    main(sys.argv[1])
