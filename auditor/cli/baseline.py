"""`auditor baseline ...`: record inspectors' decisions (accepted / dismissed) on findings.

The baseline is saved atomically with a check line (auditor/baseline.py); a damaged or cut
baseline, an unreadable --findings file or a bad record is a message and exit code 2.
"""

import json
from pathlib import Path

from .common import EXIT_OK, UsageError


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
