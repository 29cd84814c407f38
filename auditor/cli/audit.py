"""`auditor audit` and `auditor memo`: audit files, print findings, write outputs and memos."""

import os
import sys
import time
from pathlib import Path

from .common import EXIT_FINDINGS, EXIT_OK, UsageError, build_run, open_outputs


def cmd_audit(args) -> int:
    from ..audit import expand_all
    from ..output.jsonl import finding_json
    from ..output.parsable import finding_line
    from ..output.terminal import Style, Tally, report_table, summary
    from ..parallel import light

    _require_paths(args.paths)
    _require_pdf(args.memo_format if args.memo else None)
    run = build_run(args)
    found = expand_all(args.paths)
    files = _without_outputs(found.files, args.out, args.memo)
    unsupported = _without_outputs(found.unsupported, args.out, args.memo)
    if not files and not unsupported:
        raise UsageError("没有找到要审核的文件")
    from ..crossyear.closing import finish, open_cross

    cross, errored = open_cross(run, args), set()  # rules over two reports: after the stream
    outputs = open_outputs(args, run, len(files) + len(unsupported))  # lock on --out, manifest
    started = time.monotonic()
    tally = Tally()
    tally.passed = found.passed + (len(found.files) - len(files)) + (len(found.unsupported) - len(unsupported))
    results, conclusions, memo_links, used, memo_stems = [], [], {}, set(), {}  # kept for --out and memos
    line_of = {"json": finding_json, "parsable": finding_line}.get(args.format)
    style = Style.detect(getattr(args, "color", "auto"))  # the table's width and colour (terminal.py)
    bar = _progress(files + unsupported, args.no_progress)
    if args.format == "csv":  # the header once, then each report's rows as it comes
        from ..output import csvout

        _emit(bar, csvout.header().removesuffix("\n"))
    for _, result in zip(bar, _all_results(run, files, unsupported, args)):
        run.settle(result)
        conclusion = run.conclude(result)
        if args.memo:
            from ..output.memos import write_memo

            written = write_memo(result, conclusion, run, args.memo, args.memo_format, used)
            memo_stems[result.path] = written[0].stem
            if args.out:
                memo_links[result.path] = os.path.relpath(written[0], args.out).replace(os.sep, "/")
        tally.add(result)
        if cross is not None:
            cross.add(result.carry)
            if any(f.severity == "error" and f.counts for f in result.findings):
                errored.add(result.path)
        if args.out or ((args.memo or args.format == "csv") and cross is not None):  # for --out; memos and CSV rows the closing pass adds to
            results.append(light(result))
            results[-1].carry = None
            conclusions.append(conclusion)
        if args.format == "csv":
            _emit(bar, csvout.report_rows(result, conclusion).removesuffix("\n"), skip_empty=True)
        elif line_of is not None:  # one line per finding
            _emit(bar, "\n".join(line_of(f) for f in result.findings), skip_empty=True)
        elif not args.quiet:
            meta = result.report.metadata if result.report else None
            header = f"{meta.body} {meta.year or ''}年度" if meta else ""
            _emit(bar, report_table(result.path, result.findings, header, style) + "\n")
    bar.close()
    if cross is not None:
        paired = finish(cross, run, args, tally, results, conclusions, errored)
        if args.memo and paired:  # those memos again, with the findings over two reports
            from ..output.memos import write_memo

            for result, conclusion in zip(results, conclusions):
                if result.path in paired:
                    write_memo(result, conclusion, run, args.memo, args.memo_format, stem=memo_stems[result.path])
    if args.out:
        from ..output.corpus import write_corpus

        write_corpus(results, conclusions, run, args.out, memo_links)
    outputs.finish()
    if args.format == "table" or not args.quiet:
        print(summary(tally, time.monotonic() - started), file=sys.stdout if args.format == "table" else sys.stderr)
    _report_outputs(args, run)
    return EXIT_FINDINGS if tally.with_errors else EXIT_OK


def _require_paths(paths) -> None:
    """Every path on the command line must exist (a dangling link counts: it gets a finding)."""
    from ..output.sanitize import display_path

    missing = [display_path(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise UsageError("路径不存在：" + "、".join(missing))


def _all_results(run, files: list[str], unsupported: list[str], args):
    """Every file's result: the audited ones in order, then each unsupported one (INPUT-016)."""
    from ..audit import unsupported_result

    yield from _results(run, files, args)
    yield from (unsupported_result(path) for path in unsupported)


def _results(run, files: list[str], args):
    """FileResults in file order: audited here, by --jobs worker processes, or on a Dask cluster."""
    from ..audit import audit_file
    from ..parallel import audit_batch, workers_for

    jobs = args.jobs or os.cpu_count() or 1
    options = {"config_path": args.config, "rule_dirs": list(args.rules), "folder": str(Path.cwd()), "audit_date": run.audit_date}
    if args.dask:
        from ..daskrun import ClusterError, dask_batch

        workers = jobs if args.jobs != 1 else (os.cpu_count() or 1)  # --dask local: a worker per CPU unless told
        try:
            return dask_batch(files, args.dask, options, workers)
        except ClusterError as error:
            raise UsageError(str(error)) from None
    jobs = workers_for(jobs, len(files))  # a small batch is faster without workers
    if jobs == 1:
        return (audit_file(path, run.engine) for path in files)
    return audit_batch(files, jobs, options)


def _require_pdf(fmt) -> None:
    """A PDF memo needs LibreOffice: without it, exit 2 before anything is audited."""
    from ..output.memo_pdf import require_converter

    require_converter(fmt)


def _without_outputs(files: list[str], *folders) -> list[str]:
    """Leave out files inside the output folders (a later run must not audit its own memos)."""
    skip = [_resolved(f) for f in folders if f]
    return [f for f in files if not any(_resolved(f).is_relative_to(folder) for folder in skip)]


def _resolved(path: str) -> Path:
    """The real path, or the absolute path where links loop or the file cannot be reached."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _progress(files, disabled: bool):
    """A progress bar on stderr for batches, only when stderr is a terminal and not in CI."""
    from tqdm import tqdm

    show = len(files) > 1 and not disabled and sys.stderr.isatty() and not os.environ.get("CI")
    return tqdm(files, desc="审核", unit="份", file=sys.stderr, disable=not show, leave=False, dynamic_ncols=True)


def _emit(bar, text: str, skip_empty: bool = False) -> None:
    if skip_empty and not text:
        return
    if bar.disable:
        print(text)
    else:
        bar.write(text, file=sys.stdout)


def _report_outputs(args, run) -> None:
    notes = []
    if args.out:
        notes.append(f"汇总已写入 {args.out}（findings.csv、findings.xlsx、findings.jsonl、reports.csv、summary.md、summary.html）")
    if args.memo:
        notes.append(f"审核意见已写入 {args.memo}")
    stale = run.baseline.unmatched()
    if stale:
        notes.append(f"基线 {run.baseline.path}：{len(stale)} 条处理决定在本次审核中没有对应的问题（报告可能已修改，或不在本次审核范围内）")
    for note in notes:
        print(note, file=sys.stderr)


def cmd_memo(args) -> int:
    from ..output.memos import write_memo
    from ..output.sanitize import display_path

    if Path(args.file).is_dir():
        raise UsageError(f"不是文件而是文件夹：{display_path(args.file)}（整个文件夹请用 auditor audit）")
    if not os.path.lexists(args.file):
        raise UsageError(f"文件不存在：{display_path(args.file)}")
    _require_pdf(args.format)
    run = build_run(args)
    result = run.audit(args.file)
    conclusion = run.conclude(result)
    for path in write_memo(result, conclusion, run, args.out, args.format):
        print(path)
    print(f"审核结论：{conclusion.label}（{conclusion.counts_text()}）", file=sys.stderr)
    failed = any(f.severity == "error" and f.counts for f in result.findings)
    return EXIT_FINDINGS if failed else EXIT_OK
