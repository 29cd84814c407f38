"""`auditor baseline ...`: record inspectors' decisions (accepted / dismissed) on findings.

The baseline is saved atomically with a check line (auditor/baseline.py); a damaged or cut
baseline, an unreadable --findings file or a bad record is a message and exit code 2.
"""

import json
from pathlib import Path

from .common import EXIT_FINDINGS, EXIT_OK, UsageError


def _open_baseline(args):
    from ..baseline import DEFAULT_NAME, BaselineError, load_baseline
    from ..config import ConfigError, load_config

    try:
        path = args.baseline
        if path is None:
            config = load_config(args.config, Path.cwd())
            path = config.baseline or Path(DEFAULT_NAME)
        return load_baseline(path)
    except ConfigError as error:
        raise UsageError(f"配置文件错误：{error}") from None
    except BaselineError as error:
        raise UsageError(f"基线文件错误：{error}") from None


def _read_jsonl(path) -> list[dict]:
    """The records of a JSON Lines file (findings.jsonl); every problem is `file:line: …`."""
    from ..engine.rulefile import os_reason

    records = []
    try:
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, 1):
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError:
                    raise UsageError(f"{path}:{number}: 不是 UTF-8 编码的 JSON Lines 文件") from None
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, RecursionError) as error:
                    reason = error.msg if isinstance(error, json.JSONDecodeError) else "嵌套过深"
                    raise UsageError(f"{path}:{number}: 不是 JSON（{reason}）") from None
                if not isinstance(record, dict):
                    raise UsageError(f"{path}:{number}: 每行应是一个 JSON 对象（一条问题记录）")
                records.append(record)
    except OSError as error:
        raise UsageError(f"无法读取 {path}：{os_reason(error)}") from None
    return records


def _today() -> str:
    import datetime

    return datetime.date.today().isoformat()


def cmd_baseline_decide(args) -> int:
    baseline = _open_baseline(args)
    known = {}
    if args.findings:
        known = {str(r.get("fingerprint")): r for r in _read_jsonl(args.findings)}
        missing = [fp for fp in args.fingerprints if fp not in known]
        if missing:
            raise UsageError(f"{args.findings} 中没有这些指纹的问题：{'、'.join(missing)}")
    try:
        for fingerprint in args.fingerprints:
            baseline.decide(fingerprint, args.status, args.reason, _today(), args.by, known.get(fingerprint))
    except ValueError as error:
        raise UsageError(str(error)) from None
    path = baseline.save()
    label = "已接受" if args.status == "accepted" else "已排除"
    print(f"{len(args.fingerprints)} 个问题记为{label}，已写入 {path}")
    return EXIT_OK


def cmd_baseline_remove(args) -> int:
    baseline = _open_baseline(args)
    missing = [fp for fp in args.fingerprints if not baseline.remove(fp)]
    if missing:
        raise UsageError(f"基线中没有这些指纹：{'、'.join(missing)}")
    path = baseline.save()
    print(f"已从 {path} 删除 {len(args.fingerprints)} 条处理决定")
    return EXIT_OK


def cmd_baseline_list(args) -> int:
    from tabulate import tabulate

    from ..labels import status

    baseline = _open_baseline(args)
    if not baseline.decisions:
        print(f"基线 {baseline.path or '（未找到）'} 中没有处理决定。")
        return EXIT_OK
    rows = [
        [d.fingerprint, status(d.status), d.reason, d.context.get("rule_id", ""), d.context.get("file", ""), d.context.get("where", ""), d.date, d.by]
        for d in baseline.decisions.values()
    ]
    print(f"基线 {baseline.path}：{len(rows)} 条处理决定")
    print(tabulate(rows, headers=["指纹", "处理", "理由", "规则", "文件", "位置", "日期", "处理人"], tablefmt="simple"))
    return EXIT_OK


def cmd_baseline_from(args) -> int:
    baseline = _open_baseline(args)
    records = [r for r in _read_jsonl(args.jsonl) if not args.rule or r.get("rule_id") in args.rule]
    try:
        for record in records:
            baseline.decide(str(record.get("fingerprint", "")), args.status, args.reason, _today(), args.by, record)
    except ValueError as error:
        raise UsageError(f"{args.jsonl}: {error}") from None
    path = baseline.save()
    print(f"{len(records)} 个问题记入 {path}")
    return EXIT_OK


PROBLEM_LABELS = {
    "unknown": "未知指纹", "changed": "指纹已变化", "no_reason": "缺少理由", "no_decision": "未选处理意见",
    "bad_value": "处理意见无效", "conflict": "处理意见冲突",
}


def cmd_baseline_import(args) -> int:
    """`auditor baseline import findings.xlsx`: the 处理意见 / 理由 an inspector filled in."""
    from ..baseline_import import WorkbookError, classify, read_reference, read_rows
    from ..output.sanitize import display_path

    workbook = Path(args.xlsx)
    if not workbook.is_file():
        raise UsageError(f"文件不存在：{display_path(args.xlsx)}")
    baseline = _open_baseline(args)
    reference_path = Path(args.findings) if args.findings else workbook.with_name("findings.jsonl")
    try:
        rows = read_rows(workbook)
        if args.findings and not reference_path.is_file():
            raise WorkbookError(f"文件不存在：{display_path(args.findings)}")
        reference = read_reference(reference_path) if reference_path.is_file() else None
    except WorkbookError as error:
        raise UsageError(str(error)) from None
    try:
        outcome = classify(rows, baseline, reference, _today(), args.by)
    except ValueError as error:
        raise UsageError(str(error)) from None
    taken = outcome.accepted + outcome.dismissed
    path = baseline.save() if taken else baseline.path
    parts = [f"接受 {outcome.accepted} 条", f"排除 {outcome.dismissed} 条"]
    if outcome.unchanged:
        parts.append(f"与基线相同 {outcome.unchanged} 条")
    line = f"从 {display_path(args.xlsx)} 导入处理意见：{'、'.join(parts)}"
    if outcome.refused:
        kinds = "、".join(f"{PROBLEM_LABELS[k]} {len(v)} 条" for k, v in outcome.problems.items())
        line += f"；未导入 {outcome.refused} 条（{kinds}）"
    print(line + (f"。已写入 {path}" if taken else "。基线未改动"))
    if reference is None:
        print(f"未找到 {display_path(str(reference_path))}，未核对指纹是否属于本次审核的问题（可用 --findings 指定）")
    for kind, items in outcome.problems.items():
        for row, message in items:
            print(f"  {row.where()}：{PROBLEM_LABELS[kind]}：{message}")
    for row in outcome.cleared:
        print(f"  {row.where()}：基线中已有处理决定，表中已清空处理意见；未删除（删除请用 auditor baseline remove {row.fingerprint}）")
    return EXIT_FINDINGS if outcome.refused else EXIT_OK
