"""argparse in Chinese: its own strings (usage, group titles, -h, error messages) translated.

argparse looks its messages up through a module-level gettext function `_`. ChineseParser
puts a translating function in its place only while one of its own methods runs, so nothing
outside this CLI sees a change. A mistyped subcommand gets a suggestion (difflib).
"""

import argparse
import difflib
from contextlib import contextmanager

MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 “%(value)s”（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：“%(value)s”",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值：%r",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "unexpected option string: %s": "意外的选项：%s",
}


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


@contextmanager
def chinese():
    """argparse's messages in Chinese for the duration of the block (nesting is fine)."""
    saved = argparse._
    argparse._ = translate
    try:
        yield
    finally:
        argparse._ = saved


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose own strings are Chinese; its subparsers are of the same class."""

    def __init__(self, *args, **kwargs):
        with chinese():  # group titles and the -h help are looked up here
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with chinese():  # "unrecognized arguments" is raised here
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self):
        with chinese():
            return super().format_usage()

    def format_help(self):
        with chinese():
            return super().format_help()

    def error(self, message):
        with chinese():
            super().error(message)

    def _check_value(self, action, value):
        if action.choices is None or value in action.choices:
            return
        names = list(action.choices)
        listed = "、".join(f"“{name}”" for name in names)
        if isinstance(action, argparse._SubParsersAction):
            what = action.metavar or "命令"
            close = difflib.get_close_matches(value, names, n=1)
            hint = f"，是否应为 “{close[0]}”？" if close else f"（可用的{what}：{listed}）"
            raise argparse.ArgumentError(None, f"没有{what} “{value}”{hint}")
        raise argparse.ArgumentError(action, f"无效的取值 “{value}”（可选：{listed}）")
