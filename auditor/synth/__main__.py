"""python -m auditor.synth --out DIR --count N --seed S: write synthetic reports with labelled defects."""

import argparse
import sys

from .defects import DEFECTS
from .layouts import LAYOUTS
from .series import CROSS_KINDS, CROSS_RULES, MAX_LENGTH
from .writer import generate


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auditor.synth", description=__doc__)
    parser.add_argument("--out", required=True, help="folder to write the reports and their .expected.yaml to")
    parser.add_argument("--count", type=int, default=2000, help="number of reports (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed writes the same bytes")
    parser.add_argument("--layouts", nargs="+", choices=LAYOUTS, help="only these layouts (default: all)")
    parser.add_argument("--defect-rate", type=float, default=0.6, help="share of reports with a defect (default 0.6)")
    parser.add_argument("--start", type=int, default=0, help="index of the first report (to extend a corpus)")
    parser.add_argument("--defects", nargs="+", choices=sorted(DEFECTS) + list(CROSS_KINDS), metavar="KIND",
                        help="only these defect kinds (see --list-defects; the cross kinds need --series)")
    parser.add_argument("--list-defects", action="store_true", help="list the defect kinds and exit")
    parser.add_argument("--series", type=int, metavar="K",
                        help=f"write the reports as series of K consecutive years of one body (2–{MAX_LENGTH}), "
                             "figures carried from year to year, with labelled cross-year defects and copies")
    parser.add_argument("--pdf", action="store_true", help="render the reports to PDF through LibreOffice (HTML layout only)")
    args = parser.parse_args(argv)
    if args.list_defects:
        for defect in DEFECTS.values():
            where = ", ".join(defect.layouts) if defect.layouts else ("all but " + ", ".join(defect.not_layouts) if defect.not_layouts else "all layouts")
            print(f"{defect.name:<24} {defect.rule:<10} {where}")
        for kind in CROSS_KINDS:
            print(f"{kind:<24} {CROSS_RULES[kind]:<10} --series only")
        return 0
    if not 0 <= args.defect_rate <= 1:
        parser.error("--defect-rate must be between 0 and 1")
    if args.series is not None and not 2 <= args.series <= MAX_LENGTH:
        parser.error(f"--series must be between 2 and {MAX_LENGTH}")
    if args.series is None and set(args.defects or ()) & set(CROSS_KINDS):
        parser.error("the cross kinds (" + ", ".join(CROSS_KINDS) + ") need --series")
    if args.pdf:
        from .pdf import available

        if not available():
            parser.error("--pdf needs LibreOffice (soffice) on PATH")
        args.layouts = ["html"]
    summary = generate(args.out, args.count, args.seed, layouts=args.layouts, defect_rate=args.defect_rate, start=args.start,
                       kinds=args.defects, series=args.series)
    if args.pdf:
        from .pdf import render_pdfs

        rendered = render_pdfs(args.out)
        print(f"{rendered} of them rendered to PDF through LibreOffice (the rest hold a defect a page cannot show)", file=sys.stderr)
    print(f"{summary['reports']} reports written to {args.out} in {summary['seconds']:.1f} s (seed {args.seed})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
