#!/usr/bin/env python3
"""Side-by-side benchmark: our generator vs openapi-generator 7.26 (-g rust) vs progenitor 0.15.1.

For each spec (ours, Stripe's and GitHub's) it measures, on this machine and in this run:
  1. generation: whole-process wall time and peak RSS (`/usr/bin/time -v`), RUNS runs after
     WARMUP untimed ones, medians (the first run after another tool's often pays for the
     memory that tool left to the kernel: on this VM, 0.3 s of page zeroing for ours);
  2. the debug `cargo build` of each generated crate, dependencies pre-built (a first build
     builds them with an empty crate root, then the crate itself is built): wall time and
     peak RSS of the largest process (rustc).
It writes bench/RESULTS.md with the ratios against each peer.

Usage: bench/fetch.sh && bench/compare.py [--runs N] [--warmup N]
       [--specs buddy,pieces,stripe,github]
       [--skip-build]
Tools are installed into bench/.cache/tools on first use (pip: openapi-generator-cli==7.26.0,
which runs on the installed Java; cargo: cargo-progenitor 0.15.1).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
TOOLS = CACHE / "tools"
OUT = CACHE / "compare"
SPECS = {
    "buddy": ROOT / "spec" / "buddy.yaml",
    "pieces": ROOT / "spec" / "pieces.yaml",
    "stripe": CACHE / "specs" / "stripe.com.json",
    "github": CACHE / "specs" / "api.github.com.json",
}
OPENAPI_GENERATOR = TOOLS / "venv" / "bin" / "openapi-generator-cli"
PROGENITOR = TOOLS / "progenitor" / "bin" / "cargo-progenitor"
OURS = ROOT / "target" / "release" / "generator"


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def ensure_tools():
    if not OURS.exists() or os.environ.get("REBUILD", "1") == "1":
        subprocess.run(["cargo", "build", "--release", "-p", "generator"], cwd=ROOT, check=True)
    if not OPENAPI_GENERATOR.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS / "venv")], check=True)
        subprocess.run([str(TOOLS / "venv" / "bin" / "pip"), "install", "-q", "openapi-generator-cli==7.26.0"], check=True)
    if not PROGENITOR.exists():
        env = dict(os.environ, CARGO_TARGET_DIR=str(TOOLS / "progenitor-target"))
        subprocess.run(["cargo", "install", "cargo-progenitor@0.15.1", "--locked", "--root", str(TOOLS / "progenitor")], env=env, check=True)


def timed(cmd, cwd=None, env=None, timeout=3600):
    """Runs cmd under /usr/bin/time -v; returns (ok, wall seconds, peak RSS MiB, output tail)."""
    start = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    wall = time.monotonic() - start
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    rss_mib = int(rss.group(1)) / 1024 if rss else float("nan")
    tail = (proc.stdout + proc.stderr).strip().splitlines()[-12:]
    return proc.returncode == 0, wall, rss_mib, "\n".join(tail)


def generate_cmd(tool, spec, out):
    if tool == "ours":
        return [str(OURS), str(spec), "--out", str(out), "--name", "bench_client"]
    if tool == "openapi-generator":
        # packageVersion is fixed: as shipped, the generator copies info.version (e.g.
        # `2020-08-27`) into Cargo.toml, and the crate does not build.
        return [str(OPENAPI_GENERATOR), "generate", "-g", "rust", "-i", str(spec), "-o", str(out),
                "--additional-properties=packageName=bench_client,packageVersion=0.1.0",
                "--skip-validate-spec"]
    if tool == "progenitor":
        return [str(PROGENITOR), "progenitor", "-i", str(spec), "-o", str(out), "-n", "bench_client", "-v", "0.1.0"]
    raise ValueError(tool)


def measure_generation(tool, name, spec, runs, warmup):
    walls, rsss, ok, tail = [], [], True, ""
    for i in range(warmup + runs):
        out = OUT / tool / name
        shutil.rmtree(out, ignore_errors=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        ok, wall, rss, tail = timed(generate_cmd(tool, spec, out))
        if not ok:
            break
        if i < warmup:
            continue
        walls.append(wall)
        rsss.append(rss)
    if not ok:
        return {"ok": False, "error": tail}
    return {"ok": True, "wall": statistics.median(walls), "rss": statistics.median(rsss), "runs": len(walls)}


def measure_build(tool, name):
    crate = OUT / tool / name
    if not (crate / "Cargo.toml").exists():
        return {"ok": False, "error": "no crate"}
    manifest = (crate / "Cargo.toml").read_text()
    if "[workspace]" not in manifest:
        (crate / "Cargo.toml").write_text(manifest + "\n[workspace]\n")
    env = dict(os.environ, CARGO_TARGET_DIR=str(OUT / "target" / tool / name), CARGO_TERM_COLOR="never")
    # Build the dependencies alone first: the crate's root is emptied for that build.
    lib = crate / "src" / "lib.rs"
    original = lib.read_text()
    lib.write_text("")
    try:
        ok, wall, rss, tail = timed(["cargo", "build", "--quiet"], cwd=crate, env=env)
    finally:
        lib.write_text(original)
    if not ok:
        return {"ok": False, "error": tail}
    for src in (crate / "src").rglob("*.rs"):
        src.touch()
    ok, wall, rss, tail = timed(["cargo", "build", "--quiet"], cwd=crate, env=env)
    if not ok:
        return {"ok": False, "error": tail}
    lines = sum(1 for src in (crate / "src").rglob("*.rs") for _ in src.open(errors="replace"))
    return {"ok": True, "wall": wall, "rss": rss, "lines": lines}


def fmt(result, key, unit):
    if not result.get("ok"):
        return "fails"
    value = result[key]
    return f"{value:.2f} {unit}" if unit == "s" else f"{value:.0f} {unit}"


def ratio(peer, ours, key):
    if not (peer.get("ok") and ours.get("ok")) or ours[key] == 0:
        return "–"
    return f"{peer[key] / ours[key]:.1f}x"


def scaling_section():
    """Time against size over the corpus, from `cargo xtask corpus`'s per-spec results."""
    tsv = ROOT / "bench" / "out" / "corpus-results.tsv"
    if not tsv.exists():
        return ["", "## Time against spec size", "", "Run `cargo xtask corpus` first to include this section."]
    rows = []
    for line in tsv.read_text().splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 4 and parts[3] == "generated":
            rows.append((int(parts[1]), float(parts[2]), parts[0]))
    buckets = [(0, 16 << 10), (16 << 10, 64 << 10), (64 << 10, 256 << 10), (256 << 10, 1 << 20),
               (1 << 20, 4 << 20), (4 << 20, 16 << 20), (16 << 20, 1 << 40)]
    out = ["", "## Time against spec size (the whole corpus)", "",
           f"From `bench/out/corpus-results.tsv` ({len(rows)} generated specs; in-process, 2 specs at a time,",
           "so absolute times are those of a loaded machine). Linear cost means a flat ms/MB column.", "",
           "| spec size | specs | median size | median time | median ms per MB |", "|---|---:|---:|---:|---:|"]
    for lo, hi in buckets:
        sel = [r for r in rows if lo <= r[0] < hi]
        if not sel:
            continue
        label = f"{lo >> 10} KB – {hi >> 10} KB" if hi < (1 << 40) else f"≥ {lo >> 20} MB"
        med_size = statistics.median(r[0] for r in sel)
        med_ms = statistics.median(r[1] for r in sel)
        per_mb = statistics.median(r[1] / (r[0] / 1e6) for r in sel if r[0] > 0)
        out.append(f"| {label} | {len(sel)} | {med_size / 1e3:.0f} KB | {med_ms:.0f} ms | {per_mb:.0f} |")
    n = len(rows)
    if n > 2:
        mx = sum(r[0] for r in rows) / n
        my = sum(r[1] for r in rows) / n
        sxx = sum((r[0] - mx) ** 2 for r in rows)
        sxy = sum((r[0] - mx) * (r[1] - my) for r in rows)
        syy = sum((r[1] - my) ** 2 for r in rows)
        slope = sxy / sxx
        r2 = (sxy * sxy) / (sxx * syy) if syy else 1.0
        out += ["", f"Least-squares fit over all specs: time ≈ {slope * 1e6:.0f} ms per MB + {my - slope * mx:.0f} ms, R² = {r2:.2f}."]
        worst = sorted(rows, key=lambda r: r[1] / max(r[0], 1), reverse=True)[:3]
        out.append("Highest ms per MB: " + ", ".join(f"`{w[2]}` ({w[0] / 1e3:.0f} KB, {w[1]:.0f} ms)" for w in worst) + ".")
    return out


def targets_section(gen, build):
    """Issue 6's targets, checked against this run's numbers (GitHub's spec)."""
    ours_gen = gen.get(("ours", "github"), {})
    ours_build = build.get(("ours", "github"), {})
    peer_build = build.get(("openapi-generator", "github"), {})
    if not (ours_gen.get("ok") and ours_build.get("ok") and peer_build.get("ok")):
        return ["", "## Targets", "", "Not checked: GitHub's spec was not measured for ours and openapi-generator."]
    mb = ours_gen["rss"] * 1024 * 1024 / 1e6
    rows = [
        ("generation wall ≤ 0.5 s", f"{ours_gen['wall']:.2f} s", ours_gen["wall"] <= 0.5),
        ("generation peak RSS ≤ 200 MB", f"{mb:.0f} MB ({ours_gen['rss']:.0f} MiB)", mb <= 200),
        ("build at most ⅓ of openapi-generator's time", f"{ours_build['wall']:.1f} s vs {peer_build['wall']:.1f} s ({peer_build['wall'] / ours_build['wall']:.1f}x)",
         ours_build["wall"] * 3 <= peer_build["wall"]),
        ("build at most ⅓ of openapi-generator's peak RSS", f"{ours_build['rss']:.0f} MiB vs {peer_build['rss']:.0f} MiB ({peer_build['rss'] / ours_build['rss']:.2f}x)",
         ours_build["rss"] * 3 <= peer_build["rss"]),
    ]
    lines = ["", "## Targets (GitHub's spec, this run)", "", "| target | measured | |", "|---|---|---|"]
    for what, measured, met in rows:
        lines.append(f"| {what} | {measured} | {'met' if met else 'NOT met'} |")
    return lines


def kept_sections(results):
    """The sections of RESULTS.md another tool writes (`## Decoding`, from `cargo bench -p
    benchmarks`): kept as they are when this script rewrites the file."""
    if not results.exists():
        return []
    kept, keep = [], False
    for line in results.read_text().splitlines():
        if line.startswith("## "):
            keep = line.startswith("## Decoding")
            if keep:
                kept.append("")
        if keep:
            kept.append(line)
    return kept


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--specs", default="buddy,pieces,stripe,github")
    parser.add_argument("--tools", default="ours,openapi-generator,progenitor")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    ensure_tools()
    tools = args.tools.split(",")
    names = [n for n in args.specs.split(",") if SPECS[n].exists()]
    gen, build = {}, {}
    for name in names:
        for tool in tools:
            log(f"generate {name} with {tool}")
            gen[(tool, name)] = measure_generation(tool, name, SPECS[name], args.runs, args.warmup)
    if not args.skip_build:
        for name in names:
            for tool in tools:
                if gen[(tool, name)].get("ok"):
                    log(f"build {name} from {tool}")
                    build[(tool, name)] = measure_build(tool, name)
                else:
                    build[(tool, name)] = {"ok": False, "error": "not generated"}

    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Generator benchmark: ours vs openapi-generator vs progenitor",
        "",
        f"Measured by `bench/compare.py --runs {args.runs} --warmup {args.warmup}` on this machine ({cpu} cores), all tools in the",
        "same run. Generation: whole-process wall time and peak RSS (`/usr/bin/time -v`), median of",
        f"{args.runs} runs after {args.warmup} untimed (each tool's first run after another's pays for the memory",
        "that one left to the kernel). Build: debug `cargo build` of the generated crate with its dependencies",
        "pre-built (a first build with an empty crate root), one run; RSS is the largest process (rustc).",
        "openapi-generator is run with `packageVersion=0.1.0` (as shipped it copies `info.version`",
        "into Cargo.toml and some crates do not build). Reproduce: `bench/fetch.sh && bench/compare.py`.",
        "",
        "## Generation",
        "",
        "| spec | tool | wall | peak RSS | ours is faster by | ours is leaner by |",
        "|---|---|---|---|---|---|",
    ]
    for name in names:
        ours = gen.get(("ours", name), {})
        for tool in tools:
            r = gen[(tool, name)]
            faster = ratio(r, ours, "wall") if tool != "ours" else ""
            leaner = ratio(r, ours, "rss") if tool != "ours" else ""
            lines.append(f"| {name} | {tool} | {fmt(r, 'wall', 's')} | {fmt(r, 'rss', 'MiB')} | {faster} | {leaner} |")
    if build:
        lines += [
            "",
            "## Building the generated crate (debug, dependencies pre-built)",
            "",
            "| spec | tool | lines of Rust | build wall | peak RSS | ours builds faster by | ours is leaner by |",
            "|---|---|---|---|---|---|---|",
        ]
        for name in names:
            ours = build.get(("ours", name), {})
            for tool in tools:
                r = build[(tool, name)]
                lines_of_rust = str(r.get("lines", "–"))
                faster = ratio(r, ours, "wall") if tool != "ours" else ""
                leaner = ratio(r, ours, "rss") if tool != "ours" else ""
                lines.append(f"| {name} | {tool} | {lines_of_rust} | {fmt(r, 'wall', 's')} | {fmt(r, 'rss', 'MiB')} | {faster} | {leaner} |")
    lines += targets_section(gen, build)
    lines += scaling_section()
    failures = [(k, v) for k, v in list(gen.items()) + list(build.items()) if not v.get("ok")]
    if failures:
        lines += ["", "## Failures", ""]
        for (tool, name), r in failures:
            err = r.get("error", "").strip().splitlines()
            lines.append(f"- {tool} on {name}: `{err[-1][:200] if err else 'failed'}`")
    target = ROOT / "bench" / "RESULTS.md"
    lines += kept_sections(target)
    text = "\n".join(lines) + "\n"
    if args.specs != "buddy,pieces,stripe,github" or args.tools != "ours,openapi-generator,progenitor" or args.skip_build:
        target = OUT / "RESULTS.partial.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    print(text)
    log(f"wrote {target}")


if __name__ == "__main__":
    main()
