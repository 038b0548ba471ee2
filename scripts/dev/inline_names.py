#!/usr/bin/env python3
"""Replaces inline fully-qualified type names with imports where the simple name is free in that file."""
import re, sys

# Two or more package segments: one lower-case name before a capital is as often a variable (put.PUT).
FQN = re.compile(r'(?<![\w.@"])((?:[a-z][a-z0-9_]*\.){2,})([A-Z]\w*)')

def strip_code(line, state):
    """Returns a mask of which chars are code (not string/char literal/comment). state: in_block_comment."""
    out = []
    i = 0; n = len(line); in_block = state[0]
    while i < n:
        if in_block:
            j = line.find('*/', i)
            if j < 0: out.append(' ' * (n - i)); i = n; break
            out.append(' ' * (j + 2 - i)); i = j + 2; in_block = False; continue
        c = line[i]
        if line.startswith('//', i): out.append(' ' * (n - i)); break
        if line.startswith('/*', i): in_block = True; continue
        if c == '"':
            if line.startswith('"""', i):
                out.append(' ' * (n - i)); break  # text blocks: leave line alone
            j = i + 1
            while j < n and line[j] != '"':
                j += 2 if line[j] == '\\' else 1
            out.append(' ' * (min(j, n - 1) + 1 - i)); i = j + 1; continue
        if c == "'":
            j = i + 1
            while j < n and line[j] != "'":
                j += 2 if line[j] == '\\' else 1
            out.append(' ' * (min(j, n - 1) + 1 - i)); i = j + 1; continue
        out.append(c); i += 1
    state[0] = in_block
    return ''.join(out)

def process(path):
    src = open(path, encoding='utf-8').read()
    lines = src.split('\n')
    pkg = None
    imports = {}  # simple -> fqn
    import_idx = []
    for idx, l in enumerate(lines):
        m = re.match(r'package\s+([\w.]+);', l)
        if m: pkg = m.group(1)
        m = re.match(r'import\s+(static\s+)?([\w.]+);', l)
        if m:
            import_idx.append(idx)
            if not m.group(1):
                imports[m.group(2).rsplit('.', 1)[1]] = m.group(2)
    # simple names declared in this file (classes, records, enums, interfaces, type params are rare)
    declared = set(re.findall(r'\b(?:class|interface|enum|record)\s+([A-Z]\w*)', src))
    # first pass: collect candidates
    state = [False]
    cands = []
    for idx, l in enumerate(lines):
        if idx in import_idx or l.startswith('package '):
            state[0] = state[0]; strip_code(l, state); continue
        code = strip_code(l, state)
        for m in FQN.finditer(code):
            pkgpart = m.group(1)[:-1]
            cands.append((idx, m.start(), m.end(), pkgpart, m.group(2)))
    # decide per simple name: all occurrences must agree on package
    bysimple = {}
    for c in cands:
        bysimple.setdefault(c[4], set()).add(c[3])
    ok = {}
    for simple, pkgs in bysimple.items():
        if len(pkgs) != 1: continue
        p = next(iter(pkgs))
        fq = p + '.' + simple
        if simple in declared: continue
        if simple in imports and imports[simple] != fq: continue
        if p == pkg:
            ok[simple] = None; continue  # same package: no import needed
        if p == 'java.lang': ok[simple] = None; continue
        # would the simple name clash with a same-package class? can't know cheaply: check sibling files
        import os
        sib = os.path.join(os.path.dirname(path), simple + '.java')
        if os.path.exists(sib) and p != pkg: continue
        ok[simple] = fq
    if not ok: return 0
    # replace right-to-left per line
    changed = 0
    byline = {}
    for c in cands:
        if c[4] in ok: byline.setdefault(c[0], []).append(c)
    for idx, cs in byline.items():
        l = lines[idx]
        for (_, s, e, p, simple) in sorted(cs, key=lambda c: -c[1]):
            l = l[:s] + simple + l[e:]; changed += 1
        lines[idx] = l
    new_imports = sorted({fq for fq in ok.values() if fq and fq not in imports.values()})
    if new_imports:
        at = (import_idx[-1] + 1) if import_idx else next(i for i, l in enumerate(lines) if l.startswith('package ')) + 1
        ins = ['import ' + fq + ';' for fq in new_imports]
        if not import_idx: ins = [''] + ins
        lines[at:at] = ins
    open(path, 'w', encoding='utf-8').write('\n'.join(lines))
    return changed

total = 0
for f in sys.argv[1:]:
    n = process(f)
    if n: print(f'{n:4d} {f}')
    total += n
print('total', total)
