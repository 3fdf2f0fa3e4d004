"""Posting arrays: the compact, immutable main segment of the search index, and its file.

A segment stores raw counts, not BM25 weights, so scores can be computed with the statistics of
the moment (see `index.search`). For every term, the documents holding it (int32 position) and
how often (uint8 unless a count needs more), term-major; for every document, its passage id,
its length and its distinct terms (doc-major), so removing a document can update document
frequencies without a scan.

The file is one flat binary: a magic, a JSON header (the terms, array layout, the caller's
metadata, a CRC-32 of the array bytes), then the arrays, each 64-byte aligned so they are
memory-mapped in place at load. It is written to a temporary file and renamed over the old one,
so a crash leaves the old file or the new one, never half of one. The checksum catches what the
shape checks cannot: a file damaged on disk that still fits together (frequencies zeroed by a
bad sector) would otherwise load and answer nothing.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import tempfile
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray

MAGIC = b"SWBM25\x00\x02"  # the last byte is the format: 2 added the checksum
_FAMILY = MAGIC[:6]
_LENGTH = struct.Struct("<Q")
_ALIGN = 64
_ARRAYS = ("offsets", "docs", "freqs", "ids", "lengths", "doc_offsets", "doc_terms")

Ints = NDArray[np.integer[Any]]


class CorruptIndex(ValueError):
    """The file is not a complete index written by this code."""


class StaleIndex(ValueError):
    """The file is a good index, of another store or another state of it."""


@dataclass(frozen=True)
class Segment:
    terms: list[str]  # term id -> term
    offsets: Ints  # int64, n_terms + 1: term t's postings are [offsets[t], offsets[t + 1])
    docs: Ints  # int32 document position per posting, increasing within a term
    freqs: Ints  # term frequency per posting: uint8, or uint16/uint32 if a count needs it
    ids: Ints  # int64 passage id per document
    lengths: Ints  # int32 document length in terms, repeats included
    doc_offsets: Ints  # int64, n_docs + 1, into doc_terms
    doc_terms: Ints  # int32 distinct term ids per document

    @property
    def n_docs(self) -> int:
        return len(self.ids)

    @property
    def n_postings(self) -> int:
        return len(self.docs)

    def postings(self, term_id: int) -> tuple[Ints, Ints]:
        """(document positions, term frequencies) of one term."""
        if term_id >= len(self.offsets) - 1:
            return _EMPTY_INTS, _EMPTY_INTS
        lo, hi = int(self.offsets[term_id]), int(self.offsets[term_id + 1])
        return self.docs[lo:hi], self.freqs[lo:hi]

    def distinct_terms(self, doc: int) -> Ints:
        return self.doc_terms[int(self.doc_offsets[doc]) : int(self.doc_offsets[doc + 1])]

    def document_frequencies(self, n_terms: int) -> NDArray[np.int64]:
        df = np.zeros(n_terms, dtype=np.int64)
        df[: len(self.offsets) - 1] = np.diff(self.offsets)
        return df


_EMPTY_INTS: Ints = np.zeros(0, dtype=np.int32)


@dataclass
class Document:
    """A document already mapped to term ids: what a side segment holds and a merge takes."""

    passage_id: int
    term_ids: NDArray[np.int32]
    freqs: NDArray[np.int64]
    length: int


def count_terms(
    passage_id: int, terms: Sequence[str], vocab: dict[str, int], names: list[str]
) -> Document:
    """A passage's terms counted; terms not seen before are added to `vocab` and `names`."""
    counts = Counter(terms)
    ids = np.fromiter((_term_id(t, vocab, names) for t in counts), np.int32, len(counts))
    freqs = np.fromiter(counts.values(), np.int64, len(counts))
    return Document(passage_id, ids, freqs, len(terms))


def _term_id(term: str, vocab: dict[str, int], names: list[str]) -> int:
    found = vocab.get(term)
    if found is None:
        found = vocab[term] = len(names)
        names.append(term)
    return found


def build(docs: Iterable[tuple[int, Sequence[str]]]) -> Segment:
    """A segment over (passage id, terms) pairs, in the order given."""
    vocab: dict[str, int] = {}
    ids, lengths, sizes = array("q"), array("q"), array("q")
    doc_terms, doc_freqs = array("i"), array("q")
    for passage_id, terms in docs:
        counts = Counter(terms)
        ids.append(passage_id)
        lengths.append(len(terms))
        sizes.append(len(counts))
        # setdefault's default is evaluated before the insert: a new term gets the next id.
        doc_terms.extend([vocab.setdefault(t, len(vocab)) for t in counts])
        doc_freqs.extend(counts.values())
    return _segment(
        list(vocab),
        np.frombuffer(ids, np.int64),
        np.frombuffer(lengths, np.int64),
        np.frombuffer(sizes, np.int64),
        np.frombuffer(doc_terms, np.int32),
        np.frombuffer(doc_freqs, np.int64),
    )


def merge(
    main: Segment, keep: NDArray[np.bool_], side: Sequence[Document], terms: list[str]
) -> Segment:
    """One segment: `main`'s documents where `keep`, then `side`'s, in that order."""
    sizes = np.diff(main.doc_offsets)
    entry_kept = np.repeat(keep, sizes)
    new_position = np.cumsum(keep) - 1
    posting_terms = np.repeat(
        np.arange(len(main.offsets) - 1, dtype=np.int32), np.diff(main.offsets)
    )
    posting_kept = keep[main.docs]
    first_side = int(np.count_nonzero(keep))
    side_sizes = np.array([len(d.term_ids) for d in side], dtype=np.int64)
    side_terms = _concat([d.term_ids for d in side], np.int32)
    side_freqs = _concat([d.freqs for d in side], np.int64)
    side_docs = np.repeat(np.arange(first_side, first_side + len(side), dtype=np.int32), side_sizes)
    return _from_postings(
        terms,
        term_of=np.concatenate([posting_terms[posting_kept], side_terms]),
        doc_of=np.concatenate([new_position[main.docs[posting_kept]].astype(np.int32), side_docs]),
        freq_of=np.concatenate([main.freqs[posting_kept].astype(np.int64), side_freqs]),
        ids=np.concatenate([main.ids[keep], np.array([d.passage_id for d in side], np.int64)]),
        lengths=np.concatenate([main.lengths[keep], np.array([d.length for d in side], np.int64)]),
        doc_sizes=np.concatenate([sizes[keep], side_sizes]),
        doc_terms=np.concatenate([main.doc_terms[entry_kept], side_terms]),
    )


def _concat(parts: Sequence[NDArray[Any]], dtype: type[np.generic]) -> NDArray[Any]:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)


def _segment(
    terms: list[str],
    ids: Ints,
    lengths: Ints,
    doc_sizes: Ints,
    doc_terms: Ints,
    doc_freqs: Ints,
) -> Segment:
    doc_of = np.repeat(np.arange(len(ids), dtype=np.int32), doc_sizes)
    return _from_postings(terms, doc_terms, doc_of, doc_freqs, ids, lengths, doc_sizes, doc_terms)


def _from_postings(
    terms: list[str],
    term_of: Ints,
    doc_of: Ints,
    freq_of: Ints,
    ids: Ints,
    lengths: Ints,
    doc_sizes: Ints,
    doc_terms: Ints,
) -> Segment:
    # A stable sort by term keeps each term's documents in increasing order (the input is
    # doc-major, or a term-major run followed by a doc-major one).
    order = np.argsort(term_of, kind="stable")
    counts = np.bincount(term_of, minlength=len(terms)) if len(term_of) else np.zeros(len(terms))
    most = int(freq_of.max()) if len(freq_of) else 0
    freq_type = np.uint8 if most <= 0xFF else np.uint16 if most <= 0xFFFF else np.uint32
    return Segment(
        terms=terms,
        offsets=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        docs=doc_of[order].astype(np.int32),
        freqs=freq_of[order].astype(freq_type),
        ids=np.asarray(ids, dtype=np.int64),
        lengths=np.asarray(lengths, dtype=np.int32),
        doc_offsets=np.concatenate([[0], np.cumsum(doc_sizes)]).astype(np.int64),
        doc_terms=np.asarray(doc_terms, dtype=np.int32),
    )


# -- the file -------------------------------------------------------------------------------


def save(segment: Segment, path: Path, meta: dict[str, Any]) -> None:
    """Write `segment` with `meta` to `path` atomically (temporary file, fsync, rename)."""
    layout, position = {}, 0
    arrays = {name: np.ascontiguousarray(getattr(segment, name)) for name in _ARRAYS}
    checksum = _terms_checksum(segment.terms)
    for name, values in arrays.items():
        layout[name] = {"dtype": values.dtype.str, "length": len(values), "at": position}
        padding = _aligned(position + values.nbytes) - position - values.nbytes
        checksum = zlib.crc32(b"\0" * padding, zlib.crc32(values.data, checksum))
        position += values.nbytes + padding
    header = json.dumps(
        {
            "meta": meta,
            "terms": segment.terms,
            "arrays": layout,
            "size": position,
            "crc32": checksum,
        }
    )
    head = MAGIC + _LENGTH.pack(len(header.encode())) + header.encode()
    start = _aligned(len(head))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(head.ljust(start, b"\0"))
            for values in arrays.values():
                out.write(values.tobytes())
                out.write(b"\0" * (_aligned(values.nbytes) - values.nbytes))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: Path, expected_meta: dict[str, Any]) -> Segment:
    """The segment in `path`, memory-mapped from a private copy. StaleIndex unless it was saved
    with `expected_meta`, CorruptIndex unless it is whole; both are checked before the arrays
    are. Only a regular file is read, opened without waiting (a FIFO put at the path would
    block the reader for ever); and it is copied before it is mapped, to a file nobody else
    can reach, because a mapped file cut short by another process (a truncate, a disk tool)
    kills this one with SIGBUS at the next read of a page past its new end."""
    # O_NONBLOCK: opening a FIFO for reading returns at once, and fstat below refuses it.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as file:
        opened = os.fstat(file.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise CorruptIndex(f"{path}: not a regular file")
        magic = file.read(len(MAGIC))
        if magic != MAGIC:
            if magic.startswith(_FAMILY) and len(magic) == len(MAGIC):
                raise StaleIndex(f"{path}: an older index format")
            raise CorruptIndex(f"{path}: not a saidwho index")
        size = _LENGTH.size
        raw_length = file.read(size)
        (length,) = _LENGTH.unpack(raw_length) if len(raw_length) == size else (-1,)
        if not 0 <= length <= opened.st_size:
            raise CorruptIndex(f"{path}: no header")
        header = _header(file.read(length), length)
        if header.get("meta") != expected_meta:
            raise StaleIndex(f"{path}: saved for {header.get('meta')}, wanted {expected_meta}")
        start = _aligned(len(MAGIC) + _LENGTH.size + length)
        total = start + int(header["size"])
        if opened.st_size != total:
            raise CorruptIndex(f"{path}: truncated or extended")
        raw = _private_copy(file, total, path)
    if zlib.crc32(raw[start:].data, _terms_checksum(header["terms"])) != header.get("crc32"):
        raise CorruptIndex(f"{path}: its checksum does not match its contents")
    arrays = {}
    for name in _ARRAYS:
        spec = header["arrays"][name]
        dtype = np.dtype(spec["dtype"])
        if dtype.kind not in "iu":
            raise CorruptIndex(f"{path}: {name} is not integers")
        offset = start + int(spec["at"])
        arrays[name] = raw[offset : offset + int(spec["length"]) * dtype.itemsize].view(dtype)
    segment = Segment(terms=header["terms"], **arrays)
    check(segment)
    return segment


def _private_copy(file: BinaryIO, size: int, path: Path) -> NDArray[np.uint8]:
    """The `size` bytes of `file`, in a mapping no other process can cut short: a copy in an
    unlinked temporary file beside it (the page cache holds it, as it held the original), or
    in memory when no such file can be made there (a read-only folder, a full disk). A file
    that changes size while it is copied is CorruptIndex."""
    file.seek(0)
    try:
        with tempfile.TemporaryFile(dir=path.parent) as private:
            copied = _copy(file, private, size)
            if copied != size or file.read(1):
                raise CorruptIndex(f"{path}: truncated or extended while read")
            private.flush()
            # The mapping keeps the unlinked file alive once `private` is closed.
            return np.memmap(private, dtype=np.uint8, mode="r", shape=(size,))
    except OSError:
        file.seek(0)
    data = file.read(size + 1)
    if len(data) != size:
        raise CorruptIndex(f"{path}: truncated or extended while read")
    return np.frombuffer(data, dtype=np.uint8)


def _copy(source: BinaryIO, target: BinaryIO, size: int) -> int:
    """Copy up to `size` bytes; how many were copied (fewer if the source was cut short)."""
    copied = 0
    while copied < size:
        chunk = source.read(min(_COPY_CHUNK, size - copied))
        if not chunk:
            break
        target.write(chunk)
        copied += len(chunk)
    return copied


_COPY_CHUNK = 1 << 20


def _terms_checksum(terms: list[str]) -> int:
    """The CRC-32 of the vocabulary, where the file's checksum starts."""
    return zlib.crc32("\n".join(terms).encode())


def _header(data: bytes, length: int) -> dict[str, Any]:
    if len(data) != length:
        raise CorruptIndex("truncated header")
    try:
        header = json.loads(data.decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CorruptIndex(f"unreadable header: {error}") from error
    if not isinstance(header, dict) or not isinstance(header.get("terms"), list):
        raise CorruptIndex("header without terms")
    return header


def check(segment: Segment) -> None:
    """Raise CorruptIndex unless the arrays fit together, so a query can never index outside."""
    n_terms, n_docs = len(segment.terms), segment.n_docs
    _check_offsets(segment.offsets, n_terms, len(segment.docs))
    _check_offsets(segment.doc_offsets, n_docs, len(segment.doc_terms))
    if len(segment.freqs) != len(segment.docs) or len(segment.lengths) != n_docs:
        raise CorruptIndex("array lengths disagree")
    if len(segment.docs) and not 0 <= int(segment.docs.min()) <= int(segment.docs.max()) < n_docs:
        raise CorruptIndex("posting outside the documents")
    if len(segment.doc_terms) and not (
        0 <= int(segment.doc_terms.min()) <= int(segment.doc_terms.max()) < n_terms
    ):
        raise CorruptIndex("document term outside the vocabulary")


def _check_offsets(offsets: Ints, n: int, total: int) -> None:
    if len(offsets) != n + 1 or int(offsets[0]) != 0 or int(offsets[-1]) != total:
        raise CorruptIndex("offsets do not cover their array")
    if n and not bool(np.all(offsets[1:] >= offsets[:-1])):
        raise CorruptIndex("offsets go backwards")


def _aligned(position: int) -> int:
    return -(-position // _ALIGN) * _ALIGN
