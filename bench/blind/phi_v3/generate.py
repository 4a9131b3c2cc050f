"""Generate the third blind PHI corpus: ``dev.jsonl`` and ``test.jsonl``, byte for byte.

Written from ``bench/blind/phi/SPEC.md`` alone by an author who did not read the detector, its
tests, the earlier corpora or their generators. Stdlib only (no Faker): names, streets, towns and
id shapes are hand-written in ``vocab.py`` and ``engine.py``; document skeletons are in
``layouts_phi.py`` (PHI) and ``layouts_clean.py`` (no PHI).

Run ``python generate.py`` (Python 3.11). It also refreshes the statistics block of README.md.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import vocab as V  # noqa: E402
from engine import TYPES, Ctx, Style, apply_style, render  # noqa: E402
from layouts_clean import CLEAN_LAYOUTS  # noqa: E402
from layouts_phi import LAYOUTS  # noqa: E402

MASTER = "phi_v3-third-author-20261207"
KINDS = list(LAYOUTS)
CLEAN_KINDS = list(CLEAN_LAYOUTS)
LOCALES = ["en_US", "en_GB", "en_CA", "en_AU", "en_IN"]
SPLITS = {"dev": (238, 102), "test": (595, 255)}  # (PHI docs, PHI-free docs)
EXEMPT = V.WORDLIKE_FIRST | V.WORDLIKE_TOWNS
ALL_NAME_TOKENS = {
    n for firsts, lasts in V.NAMES.values() for n in firsts + lasts if n not in V.WORDLIKE_FIRST
} - {
    "May",
    "Joy",
    "Hill",
    "Marsh",
    "Bishop",
    "Sterling",
    "Walker",
    "Young",
    "King",
    "Brook",
    "Fields",
    "Mason",
    "Cook",
    "Baker",
    "Rivers",
    "Stone",
    "Wood",
    "Short",
    "Black",
    "Gray",
    "Grant",
    "Do",
    "Ma",
    "Sun",
    "Lin",
    "Coe",
    "Real",
    "Parry",
    "Ellis",
}
DATE_LIKE = re.compile(
    r"\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b|\b(?:January|February|March|April|June|July|August|September|October|November|December)\s+\d{1,2}\b|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s+\d{4}\b"
)


def style_for(kind: str, rng: random.Random) -> Style:
    """Case and noise per document, following SPEC section 6."""
    u = rng.random()
    if kind == "nursing_note":
        case = "lower" if u < 0.40 else "upper" if u < 0.45 else "none"
    elif kind in ("ems_run_report", "pharmacy_log"):
        case = "upper" if u < 0.30 else "lower" if u < 0.33 else "none"
    else:
        case = "upper" if u < 0.07 else "lower" if u < 0.10 else "none"
    return Style(
        case=case,
        ocr=rng.random() < 0.11,
        nbsp=rng.random() < 0.10,
        unicode=rng.random() < 0.18,
        sloppy=rng.random() < (0.5 if kind in ("nursing_note", "portal_message", "call_transcript") else 0.1),
    )


def unlabelled_repeat(text: str, spans: list[dict]) -> str | None:
    """A labelled string (or a name token) that also occurs uncovered, as a whole token."""
    covered = bytearray(len(text))
    for s in spans:
        covered[s["start"] : s["end"]] = b"\x01" * (s["end"] - s["start"])
    for s in spans:
        cands = {s["text"]}
        if s["type"] in ("NAME", "FACILITY", "LOCATION"):
            cands |= {t.strip(",.^") for t in re.split(r"[\s^]+", s["text"])}
        for cand in cands:
            if (
                len(cand) < 4
                or cand in EXEMPT
                or cand.title() in EXEMPT
                or cand.lower()
                in {
                    "hospital",
                    "clinic",
                    "medical",
                    "centre",
                    "center",
                    "health",
                    "care",
                    "home",
                    "pharmacy",
                    "practice",
                    "regional",
                    "community",
                    "family",
                    "general",
                    "royal",
                    "nursing",
                    "diagnostics",
                    "memorial",
                    "district",
                    "service",
                    "services",
                    "institute",
                    "college",
                    "heart",
                    "clinique",
                    "medicale",
                    "long-term",
                    "private",
                    "base",
                    "civil",
                    "surgery",
                    "lodge",
                    "hospice",
                    "team",
                    "laboratory",
                    "urgent",
                    "multispeciality",
                    "mercy",
                    "rehabilitation",
                    "pathology",
                    "aged",
                    "infirmary",
                    "health",
                    "lane",
                    "park",
                    "north",
                    "south",
                    "east",
                    "west",
                    "gardens",
                    "green",
                    "road",
                    "street",
                }
            ):
                continue
            for m in re.finditer(r"(?<!\w)" + re.escape(cand) + r"(?!\w)", text):
                if not all(covered[m.start() : m.end()]):
                    return cand
    return None


def build(kind: str, locale: str, layout, seed: str, has_phi: bool) -> dict | None:
    rng = random.Random(seed)
    c = Ctx(rng=rng, locale=locale)
    template = layout(c)
    segs = render(c, template)
    st = style_for(kind, rng)
    segs = apply_style(rng, segs, st)
    text, spans, pos = [], [], 0
    for s, typ in segs:
        if typ is not None:
            assert s == s.strip() and s, (seed, s)
            spans.append({"start": pos, "end": pos + len(s), "type": typ, "text": s})
        text.append(s)
        pos += len(s)
    doc_text = "".join(text)
    if not has_phi:
        assert not spans, (seed, spans)
        assert not DATE_LIKE.search(doc_text), (seed, DATE_LIKE.search(doc_text))
        toks = set(re.findall(r"[A-Za-z][A-Za-z'-]+", doc_text))
        assert not toks & ALL_NAME_TOKENS, (seed, toks & ALL_NAME_TOKENS)
    else:
        assert spans, seed
        if unlabelled_repeat(doc_text, spans):
            return None
    for sp in spans:
        assert doc_text[sp["start"] : sp["end"]] == sp["text"]
        assert sp["type"] in TYPES
        if sp["type"] == "AGE" and sp["text"].isdigit():
            assert int(sp["text"]) > 89
    for a, b in itertools.pairwise(spans):
        assert a["end"] <= b["start"], (seed, a, b)
    return {
        "kind": kind,
        "locale": locale,
        "text": doc_text,
        "spans": spans,
        "_style": st,
        "_layout": layout.__name__,
    }


def make_split(name: str, seen_texts: set[str]) -> list[dict]:
    n_phi, n_clean = SPLITS[name]
    plan = []
    for j in range(n_phi):
        kind = KINDS[j % len(KINDS)]
        lays = LAYOUTS[kind]
        plan.append((kind, LOCALES[j % 5], lays[(j // len(KINDS)) % len(lays)], True))
    for j in range(n_clean):
        kind = CLEAN_KINDS[j % len(CLEAN_KINDS)]
        lays = CLEAN_LAYOUTS[kind]
        plan.append((kind, LOCALES[j % 5], lays[(j // len(CLEAN_KINDS)) % len(lays)], False))
    docs = []
    for i, (kind, locale, layout, has_phi) in enumerate(plan):
        for attempt in range(200):
            d = build(kind, locale, layout, f"{MASTER}:{name}:{i}:{attempt}", has_phi)
            if d is not None and d["text"] not in seen_texts:
                break
        else:
            raise RuntimeError(f"no valid document for {name} {i} {kind}")
        seen_texts.add(d["text"])
        docs.append(d)
    random.Random(f"{MASTER}:{name}:order").shuffle(docs)
    for k, d in enumerate(docs, 1):
        d["id"] = f"phi3-{name}-{k:04d}"
    return docs


def write(name: str, docs: list[dict]) -> None:
    with open(HERE / f"{name}.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for d in docs:
            f.write(
                json.dumps(
                    {
                        "id": d["id"],
                        "kind": d["kind"],
                        "locale": d["locale"],
                        "text": d["text"],
                        "spans": d["spans"],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )


def stats(name: str, docs: list[dict]) -> str:
    kinds = Counter(d["kind"] for d in docs)
    clean = Counter(d["kind"] for d in docs if not d["spans"])
    locs = Counter(d["locale"] for d in docs)
    loc_clean = Counter(d["locale"] for d in docs if not d["spans"])
    types = Counter(s["type"] for d in docs for s in d["spans"])
    n_clean = sum(clean.values())
    up = sum(d["_style"].case == "upper" for d in docs)
    low = sum(d["_style"].case == "lower" for d in docs)
    ocr = sum(d["_style"].ocr for d in docs)
    nb = sum(d["_style"].nbsp for d in docs)
    uni = sum(d["_style"].unicode for d in docs)
    lays = len({d["_layout"] for d in docs})
    out = [
        f"### {name}.jsonl: {len(docs)} documents, {sum(types.values())} labelled spans, {n_clean} documents with no PHI ({100 * n_clean / len(docs):.1f}%)",
        "",
        f"Variants: upper-case {up}, lower-case {low}, OCR noise {ocr}, non-breaking spaces {nb}, Unicode dashes/quotes {uni}; distinct layouts used {lays}",
        "",
        "| kind | docs | no-PHI docs |",
        "|---|---:|---:|",
    ]
    out += [f"| {k} | {kinds[k]} | {clean[k]} |" for k in sorted(kinds)]
    out += ["", "| locale | docs | no-PHI docs |", "|---|---:|---:|"]
    out += [f"| {k} | {locs[k]} | {loc_clean[k]} |" for k in sorted(locs)]
    out += ["", "| type | spans |", "|---|---:|"]
    out += [f"| {t} | {types[t]} |" for t in TYPES]
    return "\n".join(out) + "\n"


def main() -> None:
    seen: set[str] = set()
    blocks = []
    all_ids: set[str] = set()
    for name in ("dev", "test"):
        docs = make_split(name, seen)
        ids = {d["id"] for d in docs}
        assert len(ids) == len(docs) and not ids & all_ids
        all_ids |= ids
        write(name, docs)
        blocks.append(stats(name, docs))
    block = "\n".join(blocks)
    print(block)
    readme = HERE / "README.md"
    if readme.exists():
        t = readme.read_text(encoding="utf-8")
        t = re.sub(
            r"(<!-- STATS:BEGIN -->\n).*(<!-- STATS:END -->)",
            lambda m: m.group(1) + block + m.group(2),
            t,
            flags=re.S,
        )
        readme.write_text(t, encoding="utf-8")


if __name__ == "__main__":
    main()
