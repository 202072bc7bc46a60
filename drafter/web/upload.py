"""Past reports uploaded from the search page: checked, kept beside the corpus, then ingested.

Uploaded files are kept in ``<corpus>.uploads/<batch>/`` (as the search index lives in ``<corpus>.index/``)
so every passage's source names a real file on the server; a file the reader refuses is removed again.
Types and sizes are checked for the whole batch before anything is written or ingested.
"""

from __future__ import annotations

import contextlib
import errno
import secrets
import time
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from fastapi import UploadFile

from drafter.text.chars import safe_filename, strip_illegal
from drafter.web.errors import ApiError, Problem, too_large_message

UPLOAD_SUFFIXES = (".docx", ".txt", ".html", ".htm", ".md")
MAX_STEM_BYTES = 180
"""Longest kept file name stem in bytes of UTF-8 (file systems allow 255 bytes, copies add ``(N)``)."""
MAX_SUFFIX_CHARS = 10


def safe_upload_name(name: str, index: int) -> str:
    """The uploaded file's base name, stripped of folders and characters a file system refuses."""
    base = PurePosixPath(strip_illegal(name).replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()[:MAX_SUFFIX_CHARS]
    # Cut the stem, never the suffix (check_uploads admits known suffixes only); leave room for a copy
    # number. The file system counts bytes, and a Chinese character takes three.
    stem = safe_filename(stem, replacement="_", max_bytes=MAX_STEM_BYTES)
    return f"{stem or f'上传文件{index + 1}'}{suffix}"


def _file_problem(index: int, message: str) -> Problem:
    return Problem(("body", "files", index), f"files[{index}]", message)


def check_uploads(files: Sequence[UploadFile], names: Sequence[str], max_files: int, max_bytes: int) -> None:
    """Refuse the batch (``ApiError``) when it has too many files, a file of another type, or one too large."""
    if len(files) > max_files:
        msg = f"一次最多上传 {max_files} 个文件（收到 {len(files)} 个），请分批上传"
        raise ApiError(422, [Problem(("body", "files"), "files", msg)])
    allowed = "、".join(UPLOAD_SUFFIXES)
    problems = [
        _file_problem(
            i, f"{name}：不支持这种文件类型，请上传 {allowed} 文件（.doc 请先在 Word 中另存为 .docx）"
        )
        for i, name in enumerate(names)
        if Path(name).suffix not in UPLOAD_SUFFIXES
    ]
    if problems:
        raise ApiError(422, problems)
    for i, (upload, name) in enumerate(zip(files, names, strict=True)):
        if upload.size is not None and upload.size > max_bytes:
            raise ApiError(413, [_file_problem(i, f"{name}：{too_large_message(max_bytes)}")])


def batch_folder(corpus_path: Path) -> Path:
    """A new folder for one upload batch: ``<corpus>.uploads/<date-time>-<random>/``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return corpus_path.with_name(f"{corpus_path.name}.uploads") / f"{stamp}-{secrets.token_hex(3)}"


def _unsaved(exc: OSError) -> ApiError:
    if exc.errno == errno.ENAMETOOLONG:
        msg = "文件名太长，服务器无法保存：请把文件改成较短的名字后重新上传"
        return ApiError(422, [Problem(("body", "files"), "files", msg)])
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        msg = "服务器磁盘已满，上传的文件未保存：请联系管理员清理磁盘空间"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        msg = "服务器上的语料库文件夹不可写，上传的文件未保存：请联系管理员检查写权限"
    else:
        msg = f"无法保存上传的文件（{exc.strerror or exc}），请联系管理员检查磁盘空间和写权限"
    return ApiError(503, [Problem(("body", "files"), "files", msg)])


async def save_uploads(
    files: Sequence[UploadFile], names: Sequence[str], folder: Path, max_bytes: int
) -> list[Path]:
    """Write the batch into ``folder`` under the writers' own file names (numbered when two are equal)."""
    paths: list[Path] = []
    try:
        folder.mkdir(parents=True)
        for i, (upload, name) in enumerate(zip(files, names, strict=True)):
            data = await upload.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise ApiError(413, [_file_problem(i, f"{name}：{too_large_message(max_bytes)}")])
            target = folder / name
            copy = 1
            while target.exists():
                copy += 1
                target = folder / f"{Path(name).stem}({copy}){Path(name).suffix}"
            target.write_bytes(data)
            paths.append(target)
    except OSError as exc:
        discard(paths, folder)
        raise _unsaved(exc) from exc
    except ApiError:
        discard(paths, folder)
        raise
    return paths


def discard(paths: Sequence[Path], folder: Path) -> None:
    """Remove these files, and ``folder`` once it is empty."""
    with contextlib.suppress(OSError):  # a read-only or vanished folder: nothing more to clean
        for path in paths:
            path.unlink(missing_ok=True)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
