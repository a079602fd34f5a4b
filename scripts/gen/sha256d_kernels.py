#!/usr/bin/env python3
"""Generates the SHA-256d nonce-scan kernels (scalar, Vector256, Vector512) from one description.

Why generated: the three kernels must be the same straight-line code over different lane types, fully
unrolled with the compile-time zero/constant words of the second block and of the second hash folded away.
Writing them by hand three times invites lane-specific bugs. Run from the repo root:
    python3 scripts/gen/sha256d_kernels.py
"""
import os

K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]
IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
M32 = 0xFFFFFFFF


def rotr(x, n):
    return ((x >> n) | (x << (32 - n))) & M32


def s0(x):
    return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)


def s1(x):
    return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10)


def S0(x):
    return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22)


def S1(x):
    return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25)


def ch(e, f, g):
    return ((f ^ g) & e) ^ g


def maj(a, b, c):
    return (a & b) ^ (a & c) ^ (b & c)


class Gen:
    """Emits C# for one lane type. W words are tracked as ('zero',), ('lit', v), ('job', field) or ('var', slot)."""

    def __init__(self, vtype, lanes):
        self.vtype = vtype
        self.lanes = lanes
        self.body = []
        self.prologue = []
        self.consts = {}

    def lit(self, v):
        v &= M32
        if self.vtype == "uint":
            return f"0x{v:08x}u"
        return f"{self.vtype.split('<')[0]}.Create(0x{v:08x}u)"

    def job(self, expr):
        """A broadcast of a per-job scalar expression, hoisted out of the nonce loop."""
        if expr not in self.consts:
            name = f"j{len(self.consts)}"
            self.consts[expr] = name
            if self.vtype == "uint":
                self.prologue.append(f"var {name} = {expr};")
            else:
                self.prologue.append(f"var {name} = {self.vtype.split('<')[0]}.Create({expr});")
        return self.consts[expr]

    def emit(self, line):
        self.body.append(line)

    def schedule_word(self, W, t):
        """W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], folding zero, literal and per-job terms."""
        lit_sum = 0
        jobs = []
        var_terms = []
        for fn, src in (("s1", W[t - 2]), ("id", W[t - 7]), ("s0", W[t - 15]), ("id", W[t - 16])):
            kind = src[0]
            if kind == "zero":
                continue
            if kind == "lit":
                v = src[1]
                lit_sum += s1(v) if fn == "s1" else s0(v) if fn == "s0" else v
            elif kind == "job":
                if fn == "s1":
                    raise ValueError(f"σ1 of a job word at t={t}")
                jobs.append(("S0" + src[1]) if fn == "s0" else src[1])
            else:
                slot = src[1]
                var_terms.append(f"Ssig1({slot})" if fn == "s1" else f"Ssig0({slot})" if fn == "s0" else slot)
        lit_sum &= M32
        if not var_terms:
            raise ValueError(f"W{t} is constant; describe it by hand")
        if jobs:
            expr = " + ".join(f"job.{j}" for j in jobs)
            if lit_sum:
                expr += f" + 0x{lit_sum:08x}u"
            var_terms.append(self.job(expr))
        elif lit_sum:
            var_terms.append(self.lit(lit_sum))
        slot = f"w[{t}]"
        self.emit(f"{slot} = {' + '.join(var_terms)};")
        W[t] = ("var", slot)

    def round(self, st, kw, need_a=True):
        """One round. The e-independent terms are summed first so the e -> e chain is Σ1 plus two adds;
        need_a=False drops the new a when no later round can read it (measured: fewer ops on a busy port set)."""
        a, b, c, d, e, f, g, h = st
        self.emit(f"t1 = ({h} + {kw}) + Ch({e}, {f}, {g}) + Bsig1({e});")
        self.emit(f"{d} += t1;")
        if need_a:
            self.emit(f"ab = {a} ^ {b};")
            self.emit(f"{h} = t1 + (Bsig0({a}) + ((ab & bc) ^ {b}));")
            self.emit("bc = ab;")
        return [h, a, b, c, d, e, f, g]

    def kw(self, W, t):
        src = W[t]
        if src[0] == "zero":
            return self.lit(K[t])
        if src[0] == "lit":
            return self.lit(K[t] + src[1])
        if src[0] == "job":
            return self.job(f"job.{src[1]} + 0x{K[t]:08x}u")
        return f"{src[1]} + {self.lit(K[t])}"

    def generate(self):
        st = list("abcdefgh")
        # First hash, second block, from round 4 (rounds 0..3 folded into the job).
        # The header stores the nonce little-endian while SHA-256 reads big-endian words: W3 = bswap(nonce).
        self.emit("wn = Bswap(nonce);")
        self.emit("a = wn + " + self.job("job.A4") + ";")
        self.emit("e = wn + " + self.job("job.E4") + ";")
        for n, f in (("b", "B4"), ("c", "C4"), ("d", "D4"), ("f", "F4"), ("g", "G4"), ("h", "H4")):
            self.emit(f"{n} = {self.job('job.' + f)};")
        self.emit("bc = " + self.job("job.B4 ^ job.C4") + ";")
        W = [("job", "W0"), ("job", "W1"), ("job", "W2"), ("var", "wn"), ("lit", 0x80000000)]
        W += [("zero",)] * 10 + [("lit", 640)]
        W += [None] * 48
        W[16] = ("job", "W16")
        W[17] = ("job", "W17")
        for t in range(18, 64):
            if t == 18:
                self.emit("w[18] = Ssig0(wn) + " + self.job("job.C18") + ";")
                W[18] = ("var", "w[18]")
            elif t == 19:
                self.emit("w[19] = wn + " + self.job("job.C19") + ";")
                W[19] = ("var", "w[19]")
            else:
                self.schedule_word(W, t)
        for t in range(4, 64):
            st = self.round(st, self.kw(W, t))
        # Digest of the first hash = message of the second (W0..W7); the state names rotated back to a..h.
        for i in range(8):
            self.emit(f"w[{i}] = {st[i]} + {self.job(f'job.Mid[{i}]')};")
        # Second hash: round 0 from the IV has only W0 variable.
        t1 = (IV[7] + S1(IV[4]) + ch(IV[4], IV[5], IV[6]) + K[0]) & M32
        t2 = (S0(IV[0]) + maj(IV[0], IV[1], IV[2])) & M32
        self.emit(f"a = w[0] + {self.lit(t1 + t2)};")
        self.emit(f"e = w[0] + {self.lit(IV[3] + t1)};")
        for n, v in (("b", IV[0]), ("c", IV[1]), ("d", IV[2]), ("f", IV[4]), ("g", IV[5]), ("h", IV[6])):
            self.emit(f"{n} = {self.lit(v)};")
        self.emit(f"bc = {self.lit(IV[0] ^ IV[1])};")
        st = list("abcdefgh")
        W = [("var", f"w[{i}]") for i in range(8)] + [("lit", 0x80000000)] + [("zero",)] * 6 + [("lit", 256)]
        W += [None] * 48
        # The final H7 is e after round 60 (h <- g <- f <- e over rounds 61..63): stop there.
        for t in range(16, 61):
            self.schedule_word(W, t)
        # After round t, d holds the a of round t-3: the a of rounds 57..60 never reaches e of round 60.
        for t in range(1, 61):
            st = self.round(st, self.kw(W, t), need_a=t < 57)
        self.emit(f"var h7 = {st[4]} + {self.lit(IV[7])};")


def render(vtype, lanes, isa, method, doc_remarks, helpers, check):
    g = Gen(vtype, lanes)
    g.generate()
    decl_type = vtype
    lines = []
    lines.append("// <auto-generated> by scripts/gen/sha256d_kernels.py; edit the generator, not this file. </auto-generated>")
    lines.append("#pragma warning disable IDE0059, IDE0047, IDE0048 // generated straight-line code keeps every assignment explicit")
    lines.extend(helpers["usings"])
    lines.append("")
    lines.append("namespace QrngAppliance.Mining.Sha256;")
    lines.append("")
    lines.append("internal static partial class Sha256dKernels")
    lines.append("{")
    lines.append(f"    /// <summary>Scans <paramref name=\"count\"/> nonces from <paramref name=\"start\"/>, {lanes} at a time.</summary>")
    lines.append("    /// <remarks>")
    for r in doc_remarks:
        lines.append(f"    /// {r}")
    lines.append("    /// Precondition: <paramref name=\"count\"/> is a multiple of the lane count and")
    lines.append("    /// <paramref name=\"candidates\"/> holds at least one batch. A candidate is a nonce whose top hash word")
    lines.append("    /// (bytes 28..31 of the hash, little-endian) is at most <paramref name=\"topWordLimit\"/>; the caller")
    lines.append("    /// checks the full target. Returns how many nonces were scanned (less than <paramref name=\"count\"/>")
    lines.append("    /// only when <paramref name=\"candidates\"/> filled up).")
    lines.append("    /// The message schedule lives in a stack buffer, computed before the rounds: with all 16 words in")
    lines.append("    /// registers the JIT spilled expression temporaries on every round (measured 4.2 MH/s, AVX2, 1 core).")
    lines.append("    /// </remarks>")
    lines.append("    [MethodImpl(MethodImplOptions.AggressiveOptimization)]")
    lines.append(f"    internal static unsafe int {method}(Sha256dJob job, uint start, int count, uint topWordLimit, Span<uint> candidates, out int found)")
    lines.append("    {")
    for a in helpers["asserts"]:
        lines.append(f"        {a}")
    lines.append("        found = 0;")
    for p in g.prologue:
        lines.append(f"        {p}")
    lines.extend("        " + l for l in helpers["loop_setup"])
    lines.append(f"        {decl_type} a, b, c, d, e, f, g, h, t1, ab, bc, wn;")
    if decl_type == "uint":
        lines.append(f"        var w = stackalloc {decl_type}[64];")
    else:
        # Vector-aligned so no schedule load or store splits across cache lines.
        lines.append(f"        var wRaw = stackalloc byte[(64 * {lanes * 4}) + {lanes * 4}];")
        lines.append(f"        var w = ({decl_type}*)(((nint)wRaw + {lanes * 4 - 1}) & ~(nint){lanes * 4 - 1});")
    lines.append(f"        for (var i = 0; i < count; i += {lanes})")
    lines.append("        {")
    for l in g.body:
        lines.append(f"            {l}")
    for l in check:
        lines.append(f"            {l}")
    lines.append("        }")
    lines.append("")
    lines.append("        return count;")
    lines.append("    }")
    for h in helpers["funcs"]:
        lines.append("")
        lines.extend("    " + l if l else "" for l in h.split("\n"))
    lines.append("}")
    return "\n".join(lines) + "\n"


def vector_helpers(v):
    if v.startswith("Vector512"):
        # vprord where AVX-512F exists; the shift pair keeps the kernel correct (and testable) elsewhere.
        rot = lambda x, n: f"Ror({x}, {n})"
    else:
        rot = lambda x, n: f"(({x} >>> {n}) | ({x} << {32 - n}))"
    funcs = []
    if v.startswith("Vector512"):
        funcs.append(f"[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static {v} Ror({v} x, [ConstantExpected] byte n) =>\n"
                     "    Avx512F.IsSupported ? Avx512F.RotateRight(x, n) : (x >>> n) | (x << (32 - n));")
    for name, body in (
        ("Bsig0", f"{rot('x', 2)} ^ {rot('x', 13)} ^ {rot('x', 22)}"),
        ("Bsig1", f"{rot('x', 6)} ^ {rot('x', 11)} ^ {rot('x', 25)}"),
        ("Ssig0", f"{rot('x', 7)} ^ {rot('x', 18)} ^ (x >>> 3)"),
        ("Ssig1", f"{rot('x', 17)} ^ {rot('x', 19)} ^ (x >>> 10)"),
    ):
        funcs.append(f"[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static {v} {name}({v} x) => {body};")
    if v.startswith("Vector512"):
        # Ch is a bitwise select; with AVX-512 it becomes one vpternlogd.
        funcs.append(f"[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static {v} Ch({v} e, {v} f, {v} g) => Vector512.ConditionalSelect(e, f, g);")
    else:
        funcs.append(f"[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static {v} Ch({v} e, {v} f, {v} g) => ((f ^ g) & e) ^ g;")
    vs = v.split("<")[0]
    funcs.append("/// <summary>Byte swap of each 32-bit lane in two shift/mask steps (no cross-ISA shuffle needed).</summary>\n"
                 f"[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static {v} Bswap({v} x)\n{{\n"
                 f"    var m = {vs}.Create(0x00ff00ffu);\n    x = ((x >>> 8) & m) | ((x & m) << 8);\n    return (x >>> 16) | (x << 16);\n}}")
    return funcs


def main():
    root = os.path.join(os.path.dirname(__file__), "..", "..", "src", "QrngAppliance.Mining", "Sha256")

    scalar = render(
        "uint", 1, "Scalar", "ScanScalar",
        ["The portable kernel: one nonce per iteration, same folding as the SIMD kernels."],
        {
            "usings": ["using System.Buffers.Binary;", "using System.Numerics;", "using System.Runtime.CompilerServices;"],
            "asserts": [],
            "loop_setup": ["var nonce = start;"],
            "funcs": [
                "[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static uint Bsig0(uint x) => BitOperations.RotateRight(x, 2) ^ BitOperations.RotateRight(x, 13) ^ BitOperations.RotateRight(x, 22);",
                "[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static uint Bsig1(uint x) => BitOperations.RotateRight(x, 6) ^ BitOperations.RotateRight(x, 11) ^ BitOperations.RotateRight(x, 25);",
                "[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static uint Ssig0(uint x) => BitOperations.RotateRight(x, 7) ^ BitOperations.RotateRight(x, 18) ^ (x >> 3);",
                "[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static uint Ssig1(uint x) => BitOperations.RotateRight(x, 17) ^ BitOperations.RotateRight(x, 19) ^ (x >> 10);",
                "[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static uint Ch(uint e, uint f, uint g) => ((f ^ g) & e) ^ g;",
                "[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static uint Bswap(uint x) => BinaryPrimitives.ReverseEndianness(x);",
            ],
        },
        [
            "if (BinaryPrimitives.ReverseEndianness(h7) <= topWordLimit)",
            "{",
            "    candidates[found++] = nonce;",
            "    if (found == candidates.Length)",
            "    {",
            "        return i + 1;",
            "    }",
            "}",
            "",
            "nonce++;",
        ],
    )
    with open(os.path.join(root, "Sha256dKernels.Scalar.cs"), "w") as fh:
        fh.write(scalar)

    for vtype, lanes, isa, method, remarks, asserts, lane_init in (
        ("Vector256<uint>", 8, "Avx2", "ScanAvx2",
         ["Eight lanes of <see cref=\"Vector256{T}\"/>; fast when <see cref=\"Avx2.IsSupported\"/> (the dispatcher",
          "checks), correct anywhere."],
         ["Debug.Assert(candidates.Length >= 8, \"room for one batch\");"],
         "Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7)"),
        ("Vector512<uint>", 16, "Avx512", "ScanAvx512",
         ["Sixteen lanes of <see cref=\"Vector512{T}\"/>; fast only when <see cref=\"Avx512F.IsSupported\"/> (the",
          "dispatcher checks). Without AVX-512 the JIT emulates it, which the lane tests use to check it anywhere."],
         ["Debug.Assert(candidates.Length >= 16, \"room for one batch\");"],
         "Vector512.Create(0u, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)"),
    ):
        vs = vtype.split("<")[0]
        isa_using = "using System.Runtime.Intrinsics.X86;"
        text = render(
            vtype, lanes, isa, method, remarks,
            {
                "usings": ["using System.Diagnostics;"] + (["using System.Diagnostics.CodeAnalysis;"] if lanes == 16 else [])
                          + ["using System.Numerics;", "using System.Runtime.CompilerServices;", "using System.Runtime.Intrinsics;", isa_using],
                "asserts": asserts,
                "loop_setup": [f"var nonce = {vs}.Create(start) + {lane_init};",
                               f"var step = {vs}.Create({lanes}u);",
                               f"var limit = {vs}.Create(topWordLimit);"],
                "funcs": vector_helpers(vtype),
            },
            [
                "// Compare the little-endian top word: byte-swap h7 first.",
                f"var hit = {vs}.LessThanOrEqual(Bswap(h7), limit);",
                f"if (hit != {vtype}.Zero)",
                "{",
                f"    var bits = {vs}.ExtractMostSignificantBits(hit);",
                "    while (bits != 0)",
                "    {",
                "        var lane = BitOperations.TrailingZeroCount(bits);",
                "        candidates[found++] = start + (uint)i + (uint)lane;",
                "        bits &= bits - 1;",
                "    }",
                "",
                f"    if (found > candidates.Length - {lanes})",
                "    {",
                f"        return i + {lanes};",
                "    }",
                "}",
                "",
                "nonce += step;",
            ],
        )
        with open(os.path.join(root, f"Sha256dKernels.{isa}.cs"), "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
